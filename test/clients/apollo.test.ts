import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../examples/apollo/client.ts';
import { logIn } from '../../examples/apollo/sign-in.ts';
import { Login, Logout, Me, Sessions, SignUp } from '../../examples/operations.ts';
import { TokenStore } from '../../examples/token-store.ts';
import { STRONG_PASSWORD, uniqueEmail } from '../fixtures/index.ts';
import {
  expectSecondFactorLogin,
  expireAccessTokens,
  LOGIN_FAILURES_ALLOWED,
  recordingFetch,
  startClientApp,
  runExampleProgram,
  type ClientApp,
} from './support.ts';

// The Apollo Client example (examples/apollo/) against the service listening on a port.

let service: ClientApp;
beforeAll(async () => {
  service = await startClientApp();
});
afterAll(() => service?.t.close());

/** A signed-up user behind an example client whose requests are recorded. */
async function signedUp() {
  const email = uniqueEmail('apollo');
  const wire = recordingFetch();
  const tokens = new TokenStore();
  const client = createClient({ url: service.url, tokens, fetch: wire.fetch });
  const { data } = await client.mutate({ mutation: SignUp, variables: { email, password: STRONG_PASSWORD } });
  if (!data) throw new Error('signUp returned no data');
  tokens.set(data.signUp);
  return { email, wire, tokens, client, session: data.signUp };
}

/** What a rejected operation reached the caller as. */
async function rejection(promise: Promise<unknown>): Promise<CombinedGraphQLErrors> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!CombinedGraphQLErrors.is(error)) throw new Error(`expected CombinedGraphQLErrors, got ${String(error)}`);
  return error;
}

describe('Apollo Client example', () => {
  it('sends the access token as a bearer token', async () => {
    const { email, wire, client, session } = await signedUp();
    const { data } = await client.query({ query: Me });
    expect(data?.me?.email).toBe(email);
    expect(wire.sent.at(-1)).toEqual({ operationName: 'Me', method: 'POST', token: session.accessToken });
  });

  it('after the access token expires, refreshes once, stores the rotated pair and retries', async () => {
    const { email, wire, tokens, client, session } = await signedUp();
    expireAccessTokens(service.t);

    const { data } = await client.query({ query: Me });

    expect(data?.me?.email).toBe(email);
    expect(wire.names()).toEqual(['SignUp', 'Me', 'Refresh', 'Me']);
    expect(tokens.accessToken).not.toBe(session.accessToken);
    expect(tokens.refreshToken).not.toBe(session.refreshToken);
    expect(wire.sent[1]?.token).toBe(session.accessToken);
    expect(wire.sent[3]?.token).toBe(tokens.accessToken);
  });

  it('shares one refresh among operations that fail together', async () => {
    const { email, wire, client, session } = await signedUp();
    expireAccessTokens(service.t);

    const [me, sessions] = await Promise.all([client.query({ query: Me }), client.query({ query: Sessions })]);

    expect(me.data?.me?.email).toBe(email);
    expect(sessions.data?.sessions).toEqual([expect.objectContaining({ current: true })]);
    expect(wire.count('Refresh')).toBe(1);
    // Both went out with the expired token before the refresh.
    const expired = wire.sent.filter(
      (request) => request.token === session.accessToken && request.operationName !== 'Refresh',
    );
    expect(expired.map((request) => request.operationName).sort()).toEqual(['Me', 'Sessions']);
    expect(wire.sent).toHaveLength(6);
  });

  it('surfaces TOKEN_REVOKED after logout, without trying to refresh', async () => {
    const { wire, tokens, client } = await signedUp();
    const { data } = await client.mutate({
      mutation: Logout,
      variables: { refreshToken: tokens.refreshToken ?? null },
    });
    expect(data?.logout).toBe(true);

    const error = await rejection(client.query({ query: Me }));

    expect(error.errors[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'TOKEN_REVOKED' });
    expect(wire.count('Refresh')).toBe(0);
  });

  it('when the refresh fails, surfaces its UNAUTHENTICATED and forgets the tokens', async () => {
    const { tokens, client, session } = await signedUp();
    // Another tab holding the same pair logs out.
    const otherTab = createClient({ url: service.url, tokens: new TokenStore(session) });
    await otherTab.mutate({ mutation: Logout, variables: { refreshToken: session.refreshToken } });
    expireAccessTokens(service.t);

    const error = await rejection(client.query({ query: Me }));

    expect(error.errors[0]?.path).toEqual(['refresh']);
    expect(error.errors[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED' });
    expect(tokens.accessToken).toBeUndefined();
  });

  it('shows BAD_USER_INPUT with the field, and EMAIL_TAKEN', async () => {
    const client = createClient({ url: service.url, tokens: new TokenStore() });
    const badEmail = await rejection(
      client.mutate({ mutation: SignUp, variables: { email: 'not-an-email', password: STRONG_PASSWORD } }),
    );
    expect(badEmail.errors[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'email' });

    const weak = await rejection(
      client.mutate({ mutation: SignUp, variables: { email: uniqueEmail('apollo'), password: 'password' } }),
    );
    expect(weak.errors[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'password' });

    const { email } = await signedUp();
    const taken = await rejection(client.mutate({ mutation: SignUp, variables: { email, password: STRONG_PASSWORD } }));
    expect(taken.errors[0]?.extensions).toEqual({ code: 'EMAIL_TAKEN', field: 'email' });
  });

  it('shows a wrong password as UNAUTHENTICATED without reason, then RATE_LIMITED with retryAfter', async () => {
    const { email } = await signedUp();
    const client = createClient({ url: service.url, tokens: new TokenStore() });
    const login = () =>
      rejection(client.mutate({ mutation: Login, variables: { email, password: 'not-the-password' } }));
    for (let attempt = 0; attempt < LOGIN_FAILURES_ALLOWED; attempt++) {
      expect((await login()).errors[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED' });
    }
    // HTTP 429, but its body is a GraphQL response, so Apollo reports the GraphQL error.
    const limited = await login();
    expect(limited.errors[0]?.extensions).toEqual({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
  });

  it('signs in through the second-factor challenge: asks for a code, retries a wrong one, keeps the pair', async () => {
    const { email, session } = await signedUp();
    await expectSecondFactorLogin(service, { createClient, logIn }, { email, accessToken: session.accessToken });
  });

  it('runs examples/apollo/main.ts from signUp to logout', { timeout: 60_000 }, async () => {
    const run = await runExampleProgram(service.t, 'examples/apollo/main.ts');

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^signUp: apollo-example-\S+@example\.com, access token valid for 1 s$/),
      expect.stringMatching(/^me: apollo-example-/),
      expect.stringMatching(/^waiting 1\.25 s for the access token to expire$/),
      expect.stringMatching(/^me again: apollo-example-\S+ \(the access token was refreshed on the way\)$/),
      'logout: true',
    ]);
  });
});
