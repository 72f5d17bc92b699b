import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, type ErrorLike } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { ErrorLink } from '@apollo/client/link/error';
import { from, switchMap } from 'rxjs';
import { Refresh } from '../operations.ts';
import type { TokenStore } from '../token-store.ts';

declare module '@apollo/client' {
  interface DefaultContext {
    /** The access token this operation was sent with (set by the auth link). */
    accessToken?: string;
    /** Set once the operation has been retried after a refresh, so it is retried only once. */
    retriedAfterRefresh?: boolean;
  }
}

export interface ClientOptions {
  /** Tollgate's GraphQL endpoint, such as http://localhost:4000/graphql. */
  url: string;
  tokens: TokenStore;
  /** The fetch to send requests with; the global one by default. */
  fetch?: typeof fetch;
}

/** True when the server refused the access token only because it is past `exp`. */
export const isTokenExpired = (error: ErrorLike): boolean =>
  CombinedGraphQLErrors.is(error) &&
  error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED' && e.extensions.reason === 'TOKEN_EXPIRED');

export function createClient({ url, tokens, fetch }: ClientOptions): ApolloClient {
  // Runs for every attempt, the retry too, so a retry carries the refreshed token.
  const authLink = new ApolloLink((operation, forward) => {
    const accessToken = tokens.accessToken;
    operation.setContext(({ headers = {} }) => {
      const { authorization: _previous, ...rest } = headers as Record<string, string>;
      return { accessToken, headers: accessToken ? { ...rest, authorization: `Bearer ${accessToken}` } : rest };
    });
    return forward(operation);
  });

  // TOKEN_EXPIRED: refresh once (shared by every operation that failed with the same
  // token), then send the operation again. Anything else reaches the caller as is.
  const refreshLink = new ErrorLink(({ error, operation, forward }) => {
    const context = operation.getContext();
    if (!isTokenExpired(error) || context.retriedAfterRefresh) return;
    const refresh = async (refreshToken: string) => {
      const { data } = await operation.client.mutate({
        mutation: Refresh,
        variables: { refreshToken },
        fetchPolicy: 'no-cache',
      });
      if (!data) throw new Error('refresh returned no data');
      return data.refresh;
    };
    return from(tokens.refreshOnce(context.accessToken, refresh)).pipe(
      switchMap((signedIn) => {
        if (!signedIn) throw error;
        operation.setContext({ retriedAfterRefresh: true });
        return forward(operation);
      }),
    );
  });

  return new ApolloClient({
    link: ApolloLink.from([refreshLink, authLink, new HttpLink({ uri: url, fetch })]),
    cache: new InMemoryCache(),
    // Who is signed in can change between two queries: ask the server every time.
    defaultOptions: { query: { fetchPolicy: 'network-only' } },
  });
}
