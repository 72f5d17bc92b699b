import type { Plugin } from 'graphql-yoga';

/**
 * Every GraphQL result is `Cache-Control: no-store`: results carry tokens
 * (signUp, login, refresh) or a user's own data, which no cache may keep
 * (RFC 6749 §5.1 asks the same of token responses, with `Pragma: no-cache`
 * for HTTP/1.0 caches). The GraphiQL page is not a result and keeps its own.
 */
export function useNoStore(graphqlEndpoint: string): Plugin {
  return {
    onResponse({ request, response }) {
      if (new URL(request.url).pathname !== graphqlEndpoint) return;
      if (response.headers.get('content-type')?.startsWith('text/html')) return;
      response.headers.set('cache-control', 'no-store');
      response.headers.set('pragma', 'no-cache');
    },
  };
}
