import type { ApolloClient } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { Login, VerifySecondFactor } from '../operations.ts';
import { type AskForCode, CODE_ATTEMPTS, isWrongCode, secondFactorChallenge } from '../second-factor.ts';
import type { TokenStore } from '../token-store.ts';

/**
 * Logs in and keeps the pair. An account with a second factor is answered
 * SECOND_FACTOR_REQUIRED: the person is asked for a code, sent with the
 * challenge to `verifySecondFactor`, which returns the pair instead.
 */
export async function logIn(
  client: ApolloClient,
  tokens: TokenStore,
  credentials: { email: string; password: string },
  askForCode: AskForCode,
) {
  try {
    const { data } = await client.mutate({ mutation: Login, variables: credentials });
    if (!data) throw new Error('login returned no data');
    tokens.set(data.login);
    return data.login;
  } catch (error) {
    const pending = CombinedGraphQLErrors.is(error) ? secondFactorChallenge(error.errors) : undefined;
    if (!pending) throw error;
    for (let attempt = 1; ; attempt++) {
      const code = await askForCode(pending.methods, attempt);
      try {
        const { data } = await client.mutate({
          mutation: VerifySecondFactor,
          variables: { challenge: pending.challenge, code },
        });
        if (!data) throw new Error('verifySecondFactor returned no data');
        tokens.set(data.verifySecondFactor);
        return data.verifySecondFactor;
      } catch (failure) {
        if (!(CombinedGraphQLErrors.is(failure) && isWrongCode(failure.errors)) || attempt >= CODE_ATTEMPTS)
          throw failure;
      }
    }
  }
}
