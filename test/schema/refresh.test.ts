import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { LogoutMutationVariables, RefreshMutation } from '../generated/graphql.ts';
import {
  accountOf,
  createTestApp,
  expectError,
  expectNoErrors,
  expiredTokenFor,
  LOGOUT,
  LOGOUT_ALL,
  logIn,
  ME,
  payloadOf,
  REFRESH,
  REVOKE_SESSION,
  SESSIONS,
  signUp,
  type Account,
  type GraphQLResponse,
  type RequestOptions,
  type TestApp,
} from '../fixtures/index.ts';
import { testWithApp } from '../fixtures/suite.ts';

// refresh (rotation, reuse grace, theft detection, session limits), logout,
// logoutAll, sessions and revokeSession, all through HTTP. Time passes by the
// service's clock; the database is read only to check a row.

const it = testWithApp({}, { recordQueries: true });
let t: TestApp;
it.beforeAll(({ app }) => {
  t = app;
});

// ---------------------------------------------------------------------------
// Helpers

const refreshOn = (app: TestApp, refreshToken: string, options?: RequestOptions) =>
  app.graphql(REFRESH, { refreshToken }, options);

/** Refreshes and returns the new pair (as an account of the same session), failing the test on any error. */
async function refreshedOn(app: TestApp, account: Account, options?: RequestOptions): Promise<Account> {
  return accountOf(expectNoErrors(await refreshOn(app, account.refreshToken, options)).refresh, account.password);
}

const meOn = (app: TestApp, token: string) => app.graphql(ME, {}, { token });

/** `me` answers with this user. */
async function expectWorks(app: TestApp, accessToken: string, userId: string) {
  const { me } = expectNoErrors(await meOn(app, accessToken));
  expect(me?.id).toBe(userId);
}

/** `me` refuses this access token because its session has ended. */
async function expectRevoked(app: TestApp, accessToken: string) {
  const response = await meOn(app, accessToken);
  expect(response.status).toBe(200);
  expectError(response, 'UNAUTHENTICATED', 'TOKEN_REVOKED');
  expect(response.body.data).toEqual({ me: null });
}

/** A refused refresh: HTTP 200, one UNAUTHENTICATED error (no bearer reason), no data. */
function expectRefreshRefused(response: GraphQLResponse<RefreshMutation>) {
  expect(response.status).toBe(200);
  const error = expectError(response, 'UNAUTHENTICATED');
  expect(error.extensions).not.toHaveProperty('reason');
  expect(response.body.data ?? null).toBeNull();
}

const ENCODINGS = ['utf8', 'hex', 'base64', 'base64url'] as const;

const sha256 = (text: string) => new Uint8Array(createHash('sha256').update(text, 'utf8').digest());

/** The stored row of a refresh token, found by its hash. */
const refreshTokenRow = (app: TestApp, refreshToken: string) =>
  app.services.prisma.refreshToken.findUnique({ where: { tokenHash: sha256(refreshToken) } });

const sessionRow = (app: TestApp, sessionId: string) =>
  app.services.prisma.session.findUniqueOrThrow({ where: { id: sessionId } });

/** What a failed or successful response amounts to: 'OK' or its error code. */
const outcomeOf = (response: GraphQLResponse<unknown>) =>
  response.body.errors ? String(response.body.errors[0]?.extensions?.code) : 'OK';

// ---------------------------------------------------------------------------

describe('refresh', () => {
  it('returns a new pair on the same session: the new access token carries the old sid', async () => {
    const account = await signUp(t);
    const { refresh } = expectNoErrors(await refreshOn(t, account.refreshToken));
    expect(refresh.tokenType).toBe('Bearer');
    expect(refresh.expiresIn).toBe(900);
    expect(refresh.user).toMatchObject({ id: account.userId, email: account.email });
    expect(payloadOf(refresh.accessToken)).toMatchObject({ sub: account.userId, sid: account.sessionId });
  });

  it('hands out a refresh token different from the one presented', async () => {
    const account = await signUp(t);
    const next = await refreshedOn(t, account);
    expect(next.refreshToken).not.toBe(account.refreshToken);
    expect(next.refreshToken.length).toBeGreaterThanOrEqual(43);
    expect(next.accessToken).not.toBe(account.accessToken);
  });

  it('returns an access token that works with me', async () => {
    const account = await signUp(t);
    const next = await refreshedOn(t, account);
    await expectWorks(t, next.accessToken, account.userId);
  });

  it("moves the session's lastUsedAt forward", async () => {
    const account = await signUp(t);
    const { lastUsedAt: before } = await sessionRow(t, account.sessionId);
    t.clock.advance(60);
    const startedAt = t.clock.now().getTime();
    await refreshedOn(t, account);
    const session = await sessionRow(t, account.sessionId);
    expect(session.lastUsedAt.getTime()).toBeGreaterThan(before.getTime());
    expect(session.lastUsedAt.getTime()).toBeGreaterThanOrEqual(startedAt);
    expect(session.lastUsedAt.getTime()).toBeLessThanOrEqual(t.clock.now().getTime());
  });

  it('ignores the Authorization header: it works with a garbage bearer token', async () => {
    const account = await signUp(t);
    const next = await refreshedOn(t, account, { token: 'not.a.jwt' });
    expect(next.sessionId).toBe(account.sessionId);
  });

  it('ignores the Authorization header: it works with an expired access token', async () => {
    const account = await signUp(t);
    const next = await refreshedOn(t, account, { token: expiredTokenFor(account) });
    expect(next.sessionId).toBe(account.sessionId);
    await expectWorks(t, next.accessToken, account.userId);
  });

  it('stores the new refresh token only as its SHA-256 hash', async () => {
    const account = await signUp(t);
    const next = await refreshedOn(t, account);
    const row = await refreshTokenRow(t, next.refreshToken);
    expect(row).toMatchObject({ sessionId: account.sessionId, retiredAt: null });
    expect(Buffer.from(row!.tokenHash).equals(Buffer.from(sha256(next.refreshToken)))).toBe(true);
    // No column of the session's token rows holds the token itself, in any usual encoding.
    const rows = await t.services.prisma.refreshToken.findMany({ where: { sessionId: account.sessionId } });
    const stored = JSON.stringify(rows, (_key, value: unknown) =>
      value instanceof Uint8Array ? ENCODINGS.map((encoding) => Buffer.from(value).toString(encoding)) : value,
    );
    expect(stored).not.toContain(next.refreshToken);
    expect(stored).not.toContain(account.refreshToken);
  });

  it('retires the presented token: its row gets retiredAt', async () => {
    const account = await signUp(t);
    await refreshedOn(t, account);
    const row = await refreshTokenRow(t, account.refreshToken);
    expect(row?.retiredAt).toBeInstanceOf(Date);
  });
});

describe('refresh with tokens that were never good', () => {
  it('refuses an unknown refresh token with UNAUTHENTICATED', async () => {
    expectRefreshRefused(await refreshOn(t, randomBytes(32).toString('base64url')));
  });

  it('refuses an empty string with UNAUTHENTICATED', async () => {
    expectRefreshRefused(await refreshOn(t, ''));
  });

  it('refuses a 10 000-character string with BAD_USER_INPUT naming the argument, not a 500', async () => {
    const response = await refreshOn(t, 'a'.repeat(10_000));
    expect(response.status).toBe(200);
    expectError(response, 'BAD_USER_INPUT', { field: 'refreshToken' });
  });
});

describe('theft detection with the default grace (10 s)', () => {
  it('revokes the session when a token retired more than 10 seconds ago is presented again', async () => {
    const account = await signUp(t);
    const next = await refreshedOn(t, account);
    t.clock.advance(11);

    expectRefreshRefused(await refreshOn(t, account.refreshToken));

    await expectRevoked(t, next.accessToken);
    expectRefreshRefused(await refreshOn(t, next.refreshToken));
    const session = await sessionRow(t, account.sessionId);
    expect(session.revokedAt).toBeInstanceOf(Date);
    expect(session.revokedReason).toBe('refresh_token_reuse');
  });
});

describe('the reuse grace window (default 10 s): two tabs refreshing with one token', () => {
  /** One token refreshed twice in a row, as two tabs would: both pairs handed out. */
  async function twoTabs(): Promise<{ account: Account; first: Account; second: Account }> {
    const account = await signUp(t);
    const first = await refreshedOn(t, account);
    const second = await refreshedOn(t, account);
    return { account, first, second };
  }

  it('gives the just-retired token a working pair on the same session too', async () => {
    const { account, first, second } = await twoTabs();
    expect(second.sessionId).toBe(account.sessionId);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    await expectWorks(t, second.accessToken, account.userId);
  });

  it('keeps both access tokens handed out working with me', async () => {
    const { account, first, second } = await twoTabs();
    await expectWorks(t, first.accessToken, account.userId);
    await expectWorks(t, second.accessToken, account.userId);
  });

  it('lets each of the two new refresh tokens be refreshed once', async () => {
    const { account, first, second } = await twoTabs();
    const fromFirst = await refreshedOn(t, first);
    const fromSecond = await refreshedOn(t, second);
    expect([fromFirst.sessionId, fromSecond.sessionId]).toEqual([account.sessionId, account.sessionId]);
    await expectWorks(t, fromFirst.accessToken, account.userId);
    await expectWorks(t, fromSecond.accessToken, account.userId);
  });

  it('gives ten parallel calls with one token ten successes and ten distinct refresh tokens', async () => {
    const account = await signUp(t);
    const responses = await Promise.all(Array.from({ length: 10 }, () => refreshOn(t, account.refreshToken)));
    expect(responses.map(outcomeOf), JSON.stringify(responses.map((r) => r.body))).toEqual(Array(10).fill('OK'));
    const pairs = responses.map((response) => accountOf(expectNoErrors(response).refresh, account.password));
    expect(new Set(pairs.map((pair) => pair.refreshToken)).size).toBe(10);
    expect(new Set(pairs.map((pair) => pair.sessionId))).toEqual(new Set([account.sessionId]));
  });
});

describe('with REFRESH_REUSE_GRACE=0', () => {
  let strict: TestApp;
  beforeAll(async () => {
    strict = await createTestApp({ REFRESH_REUSE_GRACE: '0' }, { sharing: t });
  });
  afterAll(() => strict.close());

  /** An account whose first refresh token has been used once, and the pair that use gave. */
  async function rotatedOnce(): Promise<{ account: Account; next: Account }> {
    const account = await signUp(strict);
    const next = await refreshedOn(strict, account);
    return { account, next };
  }

  it('refuses the old refresh token the second time with UNAUTHENTICATED', async () => {
    const { account } = await rotatedOnce();
    expectRefreshRefused(await refreshOn(strict, account.refreshToken));
  });

  it('revokes the whole session on that reuse: the newest access token then gets TOKEN_REVOKED', async () => {
    const { account, next } = await rotatedOnce();
    await expectWorks(strict, next.accessToken, account.userId);
    expectRefreshRefused(await refreshOn(strict, account.refreshToken));
    await expectRevoked(strict, next.accessToken);
  });

  it('refuses the newest refresh token too after that reuse', async () => {
    const { account, next } = await rotatedOnce();
    expectRefreshRefused(await refreshOn(strict, account.refreshToken));
    expectRefreshRefused(await refreshOn(strict, next.refreshToken));
  });

  it('logs the reuse as event refresh_token_reuse, with no token in the log', async () => {
    const { account, next } = await rotatedOnce();
    expectRefreshRefused(await refreshOn(strict, account.refreshToken));
    const lines = strict.logs.filter((line) => line.event === 'refresh_token_reuse');
    const line = lines.find((entry) => JSON.stringify(entry).includes(account.sessionId));
    expect(line, JSON.stringify(lines)).toBeDefined();
    for (const token of [account.refreshToken, next.refreshToken, account.accessToken, next.accessToken]) {
      expect(JSON.stringify(line)).not.toContain(token);
      expect(strict.logText()).not.toContain(token);
    }
  });

  it('gives ten parallel calls with one token exactly one success and nine UNAUTHENTICATED, never a 500', async () => {
    const account = await signUp(strict);
    const responses = await Promise.all(Array.from({ length: 10 }, () => refreshOn(strict, account.refreshToken)));
    const outcomes = responses.map(outcomeOf).sort();
    expect(outcomes, JSON.stringify(responses.map((r) => r.body))).toEqual(['OK', ...Array(9).fill('UNAUTHENTICATED')]);
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
  });
});

describe('session limits', () => {
  it('refuses to refresh a session past expiresAt even though it was used just now (absolute limit)', async () => {
    let account = await signUp(t);
    const { expiresAt } = await sessionRow(t, account.sessionId);
    const secondsLeft = () => (expiresAt.getTime() - t.clock.now().getTime()) / 1000;
    // Refreshed within the idle limit each time, the last time half a minute before its end.
    while (secondsLeft() > 60) {
      t.clock.advance(Math.min(t.services.limits.refreshTokenTtlSeconds - 60, secondsLeft() - 30));
      account = await refreshedOn(t, account);
    }
    t.clock.advance(secondsLeft());
    const { lastUsedAt } = await sessionRow(t, account.sessionId);
    expect(t.clock.now().getTime() - lastUsedAt.getTime()).toBeLessThan(60_000);
    expectRefreshRefused(await refreshOn(t, account.refreshToken));
  });

  describe('with REFRESH_TOKEN_TTL=1h (idle limit)', () => {
    let idle: TestApp;
    beforeAll(async () => {
      idle = await createTestApp({ REFRESH_TOKEN_TTL: '1h' }, { sharing: t });
    });
    afterAll(() => idle.close());

    const idleFor = async (minutes: number) => {
      const account = await signUp(idle);
      idle.clock.advance(minutes * 60);
      return account;
    };

    it('refuses to refresh a session whose lastUsedAt is 61 minutes old', async () => {
      const account = await idleFor(61);
      expectRefreshRefused(await refreshOn(idle, account.refreshToken));
    });

    it('still refreshes a session whose lastUsedAt is 59 minutes old', async () => {
      const account = await idleFor(59);
      const next = await refreshedOn(idle, account);
      expect(next.sessionId).toBe(account.sessionId);
    });
  });
});

describe('logout', () => {
  const logout = (variables: LogoutMutationVariables, options?: RequestOptions) =>
    t.graphql(LOGOUT, variables, options);

  it('with a refresh token and no Authorization header returns true and ends that session: its access token gets TOKEN_REVOKED', async () => {
    const account = await signUp(t);
    expect(expectNoErrors(await logout({ refreshToken: account.refreshToken })).logout).toBe(true);
    await expectRevoked(t, account.accessToken);
  });

  it('with a refresh token leaves that refresh token refused', async () => {
    const account = await signUp(t);
    expect(expectNoErrors(await logout({ refreshToken: account.refreshToken })).logout).toBe(true);
    expectRefreshRefused(await refreshOn(t, account.refreshToken));
  });

  it('with a refresh token works even with an expired access token in the header', async () => {
    const account = await signUp(t);
    const response = await logout({ refreshToken: account.refreshToken }, { token: expiredTokenFor(account) });
    expect(expectNoErrors(response).logout).toBe(true);
    await expectRevoked(t, account.accessToken);
  });

  it('with an unknown refresh token returns false', async () => {
    expect(expectNoErrors(await logout({ refreshToken: randomBytes(32).toString('base64url') })).logout).toBe(false);
  });

  it("with an empty refresh token returns false and leaves the bearer's session alone", async () => {
    const account = await signUp(t);
    expect(expectNoErrors(await logout({ refreshToken: '' }, { token: account.accessToken })).logout).toBe(false);
    expectNoErrors(await t.graphql(ME, {}, { token: account.accessToken }));
  });

  it("without an argument ends the bearer's own session only: another session of the same user keeps working", async () => {
    const first = await signUp(t);
    const second = await logIn(t, first);
    expect(expectNoErrors(await logout({}, { token: first.accessToken })).logout).toBe(true);
    await expectRevoked(t, first.accessToken);
    await expectWorks(t, second.accessToken, second.userId);
    await refreshedOn(t, second);
  });

  it('without an argument and without a token is UNAUTHENTICATED', async () => {
    const response = await logout({});
    expect(response.status).toBe(200);
    expectError(response, 'UNAUTHENTICATED');
  });
});

describe('logoutAll', () => {
  const logoutAll = (token: string) => t.graphql(LOGOUT_ALL, {}, { token });

  it("ends every session of the caller: both logins' access tokens then get TOKEN_REVOKED", async () => {
    const first = await signUp(t);
    const second = await logIn(t, first);
    expect(expectNoErrors(await logoutAll(second.accessToken)).logoutAll).toBe(true);
    await expectRevoked(t, first.accessToken);
    await expectRevoked(t, second.accessToken);
    expectRefreshRefused(await refreshOn(t, first.refreshToken));
  });

  it("leaves another user's sessions working", async () => {
    const caller = await signUp(t);
    const other = await signUp(t);
    expect(expectNoErrors(await logoutAll(caller.accessToken)).logoutAll).toBe(true);
    await expectWorks(t, other.accessToken, other.userId);
    await refreshedOn(t, other);
  });
});

describe('sessions', () => {
  const sessions = (token?: string) => t.graphql(SESSIONS, {}, token ? { token } : {});

  it('lists the two live sessions after signUp and login', async () => {
    const first = await signUp(t);
    const second = await logIn(t, first);
    const listed = expectNoErrors(await sessions(second.accessToken)).sessions;
    expect(listed.map((s) => s.id).sort()).toEqual([first.sessionId, second.sessionId].sort());
  });

  it("marks exactly one as current: the caller's", async () => {
    const first = await signUp(t);
    const second = await logIn(t, first);
    const listed = expectNoErrors(await sessions(first.accessToken)).sessions;
    expect(listed.filter((s) => s.current).map((s) => s.id)).toEqual([first.sessionId]);
    expect(listed.find((s) => s.id === second.sessionId)?.current).toBe(false);
  });

  it('reports the userAgent sent in the user-agent header', async () => {
    const first = await signUp(t, { headers: { 'user-agent': 'TabOne/1.0 (test)' } });
    const second = await logIn(t, first, { headers: { 'user-agent': 'TabTwo/2.0 (test)' } });
    const listed = expectNoErrors(await sessions(first.accessToken)).sessions;
    const agentOf = (id: string) => listed.find((s) => s.id === id)?.userAgent;
    expect(agentOf(first.sessionId)).toBe('TabOne/1.0 (test)');
    expect(agentOf(second.sessionId)).toBe('TabTwo/2.0 (test)');
  });

  it('names the browser and system of each session in words of its own, never quoting the agent', async () => {
    const agents = {
      'Firefox on Windows': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
      'Chrome on Android':
        'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
      'Safari on macOS':
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
      'Edge on Windows':
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
      'headless Chrome on Linux':
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36',
      curl: 'curl/8.5.0',
      'an unknown browser or program': 'Visit https://evil.example now',
    };
    const [first, ...others] = Object.values(agents);
    const account = await signUp(t, { headers: { 'user-agent': first ?? '' } });
    for (const agent of others) await logIn(t, account, { headers: { 'user-agent': agent } });
    const listed = expectNoErrors(await sessions(account.accessToken)).sessions;
    expect(listed.map((s) => s.device).sort()).toEqual(Object.keys(agents).sort());
  });

  it('leaves out ended sessions', async () => {
    const first = await signUp(t);
    const ended = await logIn(t, first);
    expect(expectNoErrors(await t.graphql(LOGOUT, {}, { token: ended.accessToken })).logout).toBe(true);
    const listed = expectNoErrors(await sessions(first.accessToken)).sessions;
    expect(listed.map((s) => s.id)).toEqual([first.sessionId]);
  });

  it('without a token is UNAUTHENTICATED', async () => {
    const response = await sessions();
    expect(response.status).toBe(200);
    expectError(response, 'UNAUTHENTICATED');
  });
});

describe('revokeSession', () => {
  const revokeSession = (id: string, token: string) => t.graphql(REVOKE_SESSION, { id }, { token });

  it("ends one of the caller's own sessions and returns true: its access token then gets TOKEN_REVOKED", async () => {
    const caller = await signUp(t);
    const laptop = await logIn(t, caller);
    expect(expectNoErrors(await revokeSession(laptop.sessionId, caller.accessToken)).revokeSession).toBe(true);
    await expectRevoked(t, laptop.accessToken);
    expectRefreshRefused(await refreshOn(t, laptop.refreshToken));
  });

  it("leaves the caller's own session working after ending another of its sessions", async () => {
    const caller = await signUp(t);
    const laptop = await logIn(t, caller);
    expect(expectNoErrors(await revokeSession(laptop.sessionId, caller.accessToken)).revokeSession).toBe(true);
    await expectWorks(t, caller.accessToken, caller.userId);
  });

  it("returns false for another user's session id and leaves that session working", async () => {
    const caller = await signUp(t);
    const other = await signUp(t);
    expect(expectNoErrors(await revokeSession(other.sessionId, caller.accessToken)).revokeSession).toBe(false);
    await expectWorks(t, other.accessToken, other.userId);
    await refreshedOn(t, other);
  });

  it('returns false for an unknown UUID', async () => {
    const caller = await signUp(t);
    expect(expectNoErrors(await revokeSession(randomUUID(), caller.accessToken)).revokeSession).toBe(false);
  });

  it('returns false for a string that is not a UUID, never a 500', async () => {
    const caller = await signUp(t);
    expect(expectNoErrors(await revokeSession('not-a-uuid', caller.accessToken)).revokeSession).toBe(false);
  });
});

describe('database round trips', () => {
  it('a me request with a valid token sends exactly one SQL statement', async () => {
    const account = await signUp(t);
    t.queries.length = 0;
    await expectWorks(t, account.accessToken, account.userId);
    expect(t.queries, t.queries.join('\n')).toHaveLength(1);
  });

  it('one refresh sends at most six SQL statements', async () => {
    const account = await signUp(t);
    t.queries.length = 0;
    await refreshedOn(t, account);
    const statements = [...t.queries];
    expect(statements.length, statements.join('\n')).toBeLessThanOrEqual(6);
  });

  it('one login sends two SQL statements: the account, then its session, refresh token and audit event together', async () => {
    const account = await signUp(t);
    t.queries.length = 0;
    const next = await logIn(t, account);
    expect(t.queries, t.queries.join('\n')).toHaveLength(2);
    // All three rows are there, and the new pair works.
    const session = await sessionRow(t, next.sessionId);
    expect(session).toMatchObject({ userId: account.userId, amr: ['pwd'], revokedAt: null });
    expect(await refreshTokenRow(t, next.refreshToken)).toMatchObject({ sessionId: next.sessionId, retiredAt: null });
    const event = await t.services.prisma.authEvent.findFirst({ where: { sessionId: next.sessionId } });
    expect(event).toMatchObject({ type: 'LOGIN_SUCCEEDED', userId: account.userId, detail: { amr: 'pwd' } });
    await expectWorks(t, next.accessToken, account.userId);
    expect(expectNoErrors(await refreshOn(t, next.refreshToken)).refresh.user.id).toBe(account.userId);
  });
});
