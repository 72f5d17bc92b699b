import { CombinedError } from '@urql/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Login, Logout, Me, Sessions, SignUp } from '../../examples/operations.ts';
import { TokenStore } from '../../examples/token-store.ts';
import { createClient } from '../../examples/urql/client.ts';
import { logIn } from '../../examples/urql/sign-in.ts';
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

// The urql example (examples/urql/) against the service listening on a port.

let service: ClientApp;
beforeAll(async () => {
  service = await startClientApp();
});
afterAll(() => service?.t.close());

/** A signed-up user behind an example client whose requests are recorded. */
async function signedUp() {
  const email = uniqueEmail('urql');
  const wire = recordingFetch();
  const tokens = new TokenStore();
  const client = createClient({ url: service.url, tokens, fetch: wire.fetch });
  const { data, error } = await client.mutation(SignUp, { email, password: STRONG_PASSWORD }).toPromise();
  if (!data) throw error ?? new Error('signUp returned no data');
  tokens.set(data.signUp);
  return { email, wire, tokens, client, session: data.signUp };
}

/** The error a result carries. */
function errorOf(result: { error?: CombinedError }): CombinedError {
  if (!result.error) throw new Error('expected an error');
  return result.error;
}

describe('urql example', () => {
  it('sends the access token as a bearer token', async () => {
    const { email, wire, client, session } = await signedUp();
    const { data } = await client.query(Me, {}).toPromise();
    expect(data?.me?.email).toBe(email);
    expect(wire.sent.at(-1)).toEqual({ operationName: 'Me', method: 'GET', token: session.accessToken });
  });

  it("runs with urql's defaults: queries as GET, with no extra header, and mutations as POST", async () => {
    const { wire, client } = await signedUp();
    expect(wire.sent.find((request) => request.operationName === 'SignUp')?.method).toBe('POST');
    const result = await client.query(Sessions, {}).toPromise();
    expect(result.error).toBeUndefined();
    expect(result.data?.sessions).toHaveLength(1);
    expect(wire.sent.at(-1)).toMatchObject({ operationName: 'Sessions', method: 'GET' });
  });

  it('after the access token expires, refreshes once, stores the rotated pair and retries', async () => {
    const { email, wire, tokens, client, session } = await signedUp();
    expireAccessTokens(service.t);

    const { data, error } = await client.query(Me, {}).toPromise();

    expect(error).toBeUndefined();
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

    const [me, sessions] = await Promise.all([
      client.query(Me, {}).toPromise(),
      client.query(Sessions, {}).toPromise(),
    ]);

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
    const logout = await client.mutation(Logout, { refreshToken: tokens.refreshToken ?? null }).toPromise();
    expect(logout.data?.logout).toBe(true);

    const error = errorOf(await client.query(Me, {}).toPromise());

    expect(error.graphQLErrors[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'TOKEN_REVOKED' });
    expect(wire.count('Refresh')).toBe(0);
  });

  it('when the refresh fails, surfaces its UNAUTHENTICATED (as networkError) and forgets the tokens', async () => {
    const { tokens, client, session } = await signedUp();
    // Another tab holding the same pair logs out.
    const otherTab = createClient({ url: service.url, tokens: new TokenStore(session) });
    await otherTab.mutation(Logout, { refreshToken: session.refreshToken }).toPromise();
    expireAccessTokens(service.t);

    const error = errorOf(await client.query(Me, {}).toPromise());

    // authExchange hands what refreshAuth threw (refresh's CombinedError) to the operation as its networkError.
    expect(error.networkError).toBeInstanceOf(CombinedError);
    const refreshError = error.networkError as CombinedError;
    expect(refreshError.graphQLErrors[0]?.path).toEqual(['refresh']);
    expect(refreshError.graphQLErrors[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED' });
    expect(tokens.accessToken).toBeUndefined();
  });

  it('shows BAD_USER_INPUT with the field, and EMAIL_TAKEN', async () => {
    const client = createClient({ url: service.url, tokens: new TokenStore() });
    const badEmail = errorOf(
      await client.mutation(SignUp, { email: 'not-an-email', password: STRONG_PASSWORD }).toPromise(),
    );
    expect(badEmail.graphQLErrors[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'email' });

    const weak = errorOf(
      await client.mutation(SignUp, { email: uniqueEmail('urql'), password: 'password' }).toPromise(),
    );
    expect(weak.graphQLErrors[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'password' });

    const { email } = await signedUp();
    const taken = errorOf(await client.mutation(SignUp, { email, password: STRONG_PASSWORD }).toPromise());
    expect(taken.graphQLErrors[0]?.extensions).toEqual({ code: 'EMAIL_TAKEN', field: 'email' });
  });

  it('shows a wrong password as UNAUTHENTICATED without reason, then RATE_LIMITED with Retry-After', async () => {
    const { email } = await signedUp();
    const client = createClient({ url: service.url, tokens: new TokenStore() });
    const login = async () =>
      errorOf(await client.mutation(Login, { email, password: 'not-the-password' }).toPromise());
    for (let attempt = 0; attempt < LOGIN_FAILURES_ALLOWED; attempt++) {
      expect((await login()).graphQLErrors[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED' });
    }
    const limited = await login();
    expect(limited.graphQLErrors[0]?.extensions).toEqual({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
    const response = limited.response as Response;
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe(String(limited.graphQLErrors[0]?.extensions.retryAfter));
  });

  it('signs in through the second-factor challenge: asks for a code, retries a wrong one, keeps the pair', async () => {
    const { email, session } = await signedUp();
    await expectSecondFactorLogin(service, { createClient, logIn }, { email, accessToken: session.accessToken });
  });

  it('runs examples/urql/main.ts from signUp to logout', { timeout: 60_000 }, async () => {
    const run = await runExampleProgram(service.t, 'examples/urql/main.ts');

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^signUp: urql-example-\S+@example\.com, access token valid for 1 s$/),
      expect.stringMatching(/^me: urql-example-/),
      expect.stringMatching(/^waiting 1\.25 s for the access token to expire$/),
      expect.stringMatching(/^me again: urql-example-\S+ \(the access token was refreshed on the way\)$/),
      'logout: true',
    ]);
  });
});
