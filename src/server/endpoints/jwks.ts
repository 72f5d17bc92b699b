import type { JsonWebKey } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';

export const JWKS_PATH = '/.well-known/jwks.json';

/**
 * Serves the public keys that verify access tokens, so other services can check
 * them without any secret. Cached for five minutes: a new key must be published
 * (second in JWT_PRIVATE_KEY) that long before it starts signing.
 */
export function useJwks(publicKeys: readonly JsonWebKey[]): Plugin {
  const body = JSON.stringify({ keys: publicKeys });
  return {
    onRequest({ url, request, endResponse, fetchAPI }) {
      if (url.pathname !== JWKS_PATH) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(new fetchAPI.Response(null, { status: 405, headers: { allow: 'GET, HEAD' } }));
        return;
      }
      endResponse(
        new fetchAPI.Response(request.method === 'HEAD' ? null : body, {
          status: 200,
          headers: {
            'content-type': 'application/jwk-set+json',
            'cache-control': 'public, max-age=300, stale-while-revalidate=60',
            'access-control-allow-origin': '*',
          },
        }),
      );
    },
  };
}
