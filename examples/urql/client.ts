import { Client, fetchExchange, type CombinedError, type Operation } from '@urql/core';
import { authExchange } from '@urql/exchange-auth';
import { Refresh } from '../operations.ts';
import type { TokenStore } from '../token-store.ts';

export interface ClientOptions {
  /** Tollgate's GraphQL endpoint, such as http://localhost:4000/graphql. */
  url: string;
  tokens: TokenStore;
  /** The fetch to send requests with; the global one by default. */
  fetch?: typeof fetch;
}

/** True when the server refused the access token only because it is past `exp`. */
export const isTokenExpired = (error: CombinedError): boolean =>
  error.graphQLErrors.some((e) => e.extensions.code === 'UNAUTHENTICATED' && e.extensions.reason === 'TOKEN_EXPIRED');

/** The access token an operation was sent with. */
function sentToken(operation: Operation): string | undefined {
  const { fetchOptions } = operation.context;
  const options = typeof fetchOptions === 'function' ? fetchOptions() : fetchOptions;
  return new Headers(options?.headers).get('authorization')?.replace(/^Bearer /, '');
}

export function createClient({ url, tokens, fetch }: ClientOptions): Client {
  const auth = authExchange(async (utils) => {
    let expiredToken: string | undefined;
    return {
      addAuthToOperation(operation) {
        const token = tokens.accessToken;
        return token ? utils.appendHeaders(operation, { Authorization: `Bearer ${token}` }) : operation;
      },
      // The exchange retries a failed operation once, after refreshAuth, and holds
      // back operations started while refreshAuth runs.
      didAuthError(error, operation) {
        if (!isTokenExpired(error)) return false;
        expiredToken = sentToken(operation);
        return true;
      },
      async refreshAuth() {
        // An operation that failed with a token already replaced is just retried.
        await tokens.refreshOnce(expiredToken, async (refreshToken) => {
          const result = await utils.mutate(Refresh, { refreshToken });
          if (!result.data) throw result.error ?? new Error('refresh returned no data');
          return result.data.refresh;
        });
      },
    };
  });

  return new Client({
    url,
    fetch,
    // urql's defaults otherwise: queries go as GET (within the URL length limit), mutations as POST.
    requestPolicy: 'network-only',
    exchanges: [auth, fetchExchange],
  });
}
