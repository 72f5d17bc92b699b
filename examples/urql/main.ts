// Signs up, reads `me`, waits for the access token to expire, reads `me` again
// (the client refreshes on the way), and logs out:
//   TOLLGATE_URL=http://localhost:4000/graphql node --import tsx examples/urql/main.ts
import { setTimeout as sleep } from 'node:timers/promises';
import { CombinedError } from '@urql/core';
import { Logout, Me, SignUp } from '../operations.ts';
import { exampleSettings, expiryDelayMs } from '../settings.ts';
import { TokenStore } from '../token-store.ts';
import { createClient } from './client.ts';

const { url, email, password } = exampleSettings('urql');
const tokens = new TokenStore();
const client = createClient({ url, tokens });

/** The data of a result, or its error thrown. */
function dataOf<T>(result: { data?: T; error?: CombinedError }): T {
  if (result.error || !result.data) throw result.error ?? new Error('no data');
  return result.data;
}

async function main() {
  const session = dataOf(await client.mutation(SignUp, { email, password }).toPromise()).signUp;
  tokens.set(session);
  console.log(`signUp: ${session.user.email}, access token valid for ${session.expiresIn} s`);

  const first = dataOf(await client.query(Me, {}).toPromise());
  console.log(`me: ${first.me?.email}`);

  const delay = expiryDelayMs(session.expiresIn);
  console.log(`waiting ${delay / 1000} s for the access token to expire`);
  await sleep(delay);

  const before = tokens.accessToken;
  const second = dataOf(await client.query(Me, {}).toPromise());
  const refreshed = tokens.accessToken !== before ? ' (the access token was refreshed on the way)' : '';
  console.log(`me again: ${second.me?.email}${refreshed}`);

  const loggedOut = dataOf(await client.mutation(Logout, { refreshToken: tokens.refreshToken ?? null }).toPromise());
  tokens.clear();
  console.log(`logout: ${loggedOut.logout}`);
}

main().catch((error: unknown) => {
  if (error instanceof CombinedError && error.graphQLErrors.length > 0) {
    for (const e of error.graphQLErrors) console.error(`error: ${String(e.extensions.code)} ${e.message}`);
  } else {
    console.error('error:', error);
  }
  process.exitCode = 1;
});
