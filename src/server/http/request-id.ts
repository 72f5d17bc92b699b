import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { ServerContext } from './server-context.ts';

export const REQUEST_ID_HEADER = 'x-request-id';

// What a proxy or a client may choose as an id: anything else could forge or break log lines.
const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The incoming `X-Request-Id` when it looks sane, otherwise a new one. */
export function requestIdFrom(header: string | null): string {
  return header !== null && SANE_REQUEST_ID.test(header) ? header : randomUUID();
}

/**
 * Gives each request an id (kept from a sane `X-Request-Id`, otherwise new),
 * which the GraphQL context and its logger carry, and returns it on every
 * response: answers ended early (413, 400, 429, health) included.
 */
export function useRequestId(): Plugin<Record<string, unknown>, ServerContext> {
  return {
    onRequest({ request, serverContext }) {
      serverContext.requestId = requestIdFrom(request.headers.get(REQUEST_ID_HEADER));
    },
    onResponse({ request, response, serverContext }) {
      // Requests answered before this plugin's onRequest (health, CORS preflight) get theirs here.
      response.headers.set(
        REQUEST_ID_HEADER,
        serverContext.requestId ?? requestIdFrom(request.headers.get(REQUEST_ID_HEADER)),
      );
    },
  };
}
