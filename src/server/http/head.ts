import type { Plugin } from 'graphql-yoga';

interface Handler {
  handleRequest(request: Request, context: Record<string, unknown>): Response | Promise<Response>;
}

/**
 * HEAD answered wherever GET is (RFC 9110 §9.3.2): the same status and headers,
 * with the length the body would have had, and no body. Yoga itself answers
 * HEAD 406 on /graphql and 404 elsewhere.
 */
export function useHead(handler: () => Handler): Plugin {
  return {
    async onRequest({ request, serverContext, fetchAPI, endResponse }) {
      if (request.method !== 'HEAD') return;
      const get = new fetchAPI.Request(request.url, { method: 'GET', headers: request.headers });
      const response = await handler().handleRequest(get, (serverContext ?? {}) as Record<string, unknown>);
      const headers = new fetchAPI.Headers(response.headers);
      if (response.body && !headers.has('content-length')) {
        headers.set('content-length', String((await response.arrayBuffer()).byteLength));
      }
      endResponse(new fetchAPI.Response(null, { status: response.status, headers }));
    },
  };
}
