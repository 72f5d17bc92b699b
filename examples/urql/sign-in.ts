import type { Client } from '@urql/core';
import { Login, VerifySecondFactor } from '../operations.ts';
import { type AskForCode, CODE_ATTEMPTS, isWrongCode, secondFactorChallenge } from '../second-factor.ts';
import type { TokenStore } from '../token-store.ts';

/**
 * Logs in and keeps the pair. An account with a second factor is answered
 * SECOND_FACTOR_REQUIRED: the person is asked for a code, sent with the
 * challenge to `verifySecondFactor`, which returns the pair instead.
 */
export async function logIn(
  client: Client,
  tokens: TokenStore,
  credentials: { email: string; password: string },
  askForCode: AskForCode,
) {
  const login = await client.mutation(Login, credentials).toPromise();
  if (login.data) {
    tokens.set(login.data.login);
    return login.data.login;
  }
  const pending = login.error && secondFactorChallenge(login.error.graphQLErrors);
  if (!pending) throw login.error ?? new Error('login returned no data');
  for (let attempt = 1; ; attempt++) {
    const code = await askForCode(pending.methods, attempt);
    const verified = await client.mutation(VerifySecondFactor, { challenge: pending.challenge, code }).toPromise();
    if (verified.data) {
      tokens.set(verified.data.verifySecondFactor);
      return verified.data.verifySecondFactor;
    }
    const errors = verified.error?.graphQLErrors ?? [];
    if (!isWrongCode(errors) || attempt >= CODE_ATTEMPTS)
      throw verified.error ?? new Error('verifySecondFactor returned no data');
  }
}
