import type { Plugin } from 'graphql-yoga';

/**
 * Refuses request bodies over `maxBytes` with 413 before anything parses them:
 * by Content-Length when given, otherwise by counting while reading.
 */
export function useBodyLimit(maxBytes: number): Plugin {
  return {
    async onRequest({ request, endResponse, setRequest, fetchAPI }) {
      if (!request.body) return;
      const tooLarge = () =>
        endResponse(
          new fetchAPI.Response(
            JSON.stringify({
              errors: [
                {
                  message: `Request body is larger than ${maxBytes} bytes.`,
                  extensions: { code: 'PAYLOAD_TOO_LARGE' },
                },
              ],
            }),
            { status: 413, headers: { 'content-type': 'application/json; charset=utf-8', connection: 'close' } },
          ),
        );
      const declared = request.headers.get('content-length');
      if (declared !== null) {
        if (Number(declared) > maxBytes) tooLarge();
        return;
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of request.body) {
        size += chunk.byteLength;
        if (size > maxBytes) return tooLarge();
        chunks.push(chunk);
      }
      setRequest(
        new fetchAPI.Request(request.url, {
          method: request.method,
          headers: request.headers,
          body: Buffer.concat(chunks),
        }),
      );
    },
  };
}
