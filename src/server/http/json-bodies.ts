import type { Plugin } from 'graphql-yoga';

/**
 * POST bodies must be JSON (the GraphQL over HTTP specification's media type).
 * Yoga would also run a form-encoded or `application/graphql` body: a form on
 * any site could then send a mutation from a visitor's browser with no CORS
 * preflight. Refused with 415 before anything is parsed.
 */
export function useJsonBodies(graphqlEndpoint: string): Plugin {
  return {
    onRequest({ request, url, fetchAPI, endResponse }) {
      if (request.method !== 'POST' || url.pathname !== graphqlEndpoint) return;
      const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
      if (type === 'application/json') return;
      endResponse(
        new fetchAPI.Response(
          JSON.stringify({
            errors: [
              {
                message: 'A POST body must be JSON (Content-Type: application/json).',
                extensions: { code: 'BAD_REQUEST' },
              },
            ],
          }),
          { status: 415, headers: { 'content-type': 'application/json; charset=utf-8' } },
        ),
      );
    },
  };
}
