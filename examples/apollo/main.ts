// Signs up, reads `me`, waits for the access token to expire, reads `me` again
// (the client refreshes on the way), and logs out:
//   TOLLGATE_URL=http://localhost:4000/graphql node --import tsx examples/apollo/main.ts
import { setTimeout as sleep } from 'node:timers/promises';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { Logout, Me, SignUp } from '../operations.ts';
import { exampleSettings, expiryDelayMs } from '../settings.ts';
import { TokenStore } from '../token-store.ts';
import { createClient } from './client.ts';

const { url, email, password } = exampleSettings('apollo');
const tokens = new TokenStore();
const client = createClient({ url, tokens });

async function main() {
  const { data: signedUp } = await client.mutate({ mutation: SignUp, variables: { email, password } });
  const session = signedUp?.signUp;
  if (!session) throw new Error('signUp returned no data');
  tokens.set(session);
  console.log(`signUp: ${session.user.email}, access token valid for ${session.expiresIn} s`);

  const first = await client.query({ query: Me });
  console.log(`me: ${first.data?.me?.email}`);

  const delay = expiryDelayMs(session.expiresIn);
  console.log(`waiting ${delay / 1000} s for the access token to expire`);
  await sleep(delay);

  const before = tokens.accessToken;
  const second = await client.query({ query: Me });
  const refreshed = tokens.accessToken !== before ? ' (the access token was refreshed on the way)' : '';
  console.log(`me again: ${second.data?.me?.email}${refreshed}`);

  const { data: loggedOut } = await client.mutate({
    mutation: Logout,
    variables: { refreshToken: tokens.refreshToken ?? null },
  });
  tokens.clear();
  await client.clearStore();
  console.log(`logout: ${loggedOut?.logout}`);
}

main().catch((error: unknown) => {
  if (CombinedGraphQLErrors.is(error)) {
    for (const e of error.errors) console.error(`error: ${String(e.extensions?.code)} ${e.message}`);
  } else {
    console.error('error:', error);
  }
  process.exitCode = 1;
});
