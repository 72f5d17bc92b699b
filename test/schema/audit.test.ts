import { describe, expect } from 'vitest';
import { pruneAuthEvents } from '../../src/auth/audit/audit.ts';
import {
  AUTH_EVENTS,
  CHANGE_PASSWORD,
  DELETE_ME,
  expectError,
  expectNoErrors,
  LOGIN,
  logIn,
  LOGOUT,
  LOGOUT_ALL,
  REFRESH,
  REVOKE_SESSION,
  REVOKE_USER_SESSIONS,
  SET_ROLE,
  signUp,
  signUpAdmin,
  STRONG_PASSWORD,
  type Account,
  type RequestOptions,
  type TestApp,
} from '../fixtures/index.ts';
import { testWithApp } from '../fixtures/suite.ts';

const AGENT = { headers: { 'user-agent': 'AuditTest/1.0' } } satisfies RequestOptions;
const SECOND_PASSWORD = 'quiet-meadow-compass-77';

const it = testWithApp({ RATE_LIMIT: 'on', RATE_LIMIT_LOGIN_FAILURES_EMAIL_IP: '2/15m' });
let t: TestApp;
let admin: Account;
it.beforeAll(async ({ app }) => {
  t = app;
  admin = await signUpAdmin(t, AGENT);
});

const signedUp = () => signUp(t, AGENT);

async function eventsOf(userId: string) {
  const data = expectNoErrors(await t.graphql(AUTH_EVENTS, { userId, first: 100 }, { token: admin.accessToken }));
  return data.authEvents.edges.map((edge) => edge.node);
}

const typesOf = async (userId: string) => (await eventsOf(userId)).map((e) => e.type).reverse();

describe('the audit trail', () => {
  it('records sign-up, login success and failure with the user, session and user agent', async () => {
    const account = await signedUp();
    await t.graphql(LOGIN, { email: account.email, password: 'not-the-password-1' }, AGENT);
    const login = await logIn(t, account, AGENT);
    const events = (await eventsOf(account.userId)).reverse();
    expect(events.map((e) => e.type)).toEqual([
      'SIGN_UP',
      'EMAIL_VERIFICATION_SENT',
      'LOGIN_FAILED',
      'LOGIN_SUCCEEDED',
    ]);
    expect(events[0]).toMatchObject({ sessionId: account.sessionId, userAgent: 'AuditTest/1.0' });
    expect(events[3]).toMatchObject({ sessionId: login.sessionId });
  });

  it('records refresh, reuse of a retired refresh token, and logout', async () => {
    const account = await signedUp();
    expectNoErrors(await t.graphql(REFRESH, { refreshToken: account.refreshToken }));
    // Past the grace window, a replay of the retired token is reuse.
    t.clock.advance(t.config.tokens.refreshReuseGraceSeconds + 50);
    await t.graphql(REFRESH, { refreshToken: account.refreshToken });
    const other = await signedUp();
    expectNoErrors(await t.graphql(LOGOUT, { refreshToken: other.refreshToken }));
    expect(await typesOf(account.userId)).toEqual([
      'SIGN_UP',
      'EMAIL_VERIFICATION_SENT',
      'REFRESH',
      'REFRESH_TOKEN_REUSE',
    ]);
    expect(await typesOf(other.userId)).toEqual(['SIGN_UP', 'EMAIL_VERIFICATION_SENT', 'LOGOUT']);
  });

  it('records logoutAll, revokeSession, password change and account deletion', async () => {
    const account = await signedUp();
    const second = await logIn(t, account);
    expectNoErrors(await t.graphql(REVOKE_SESSION, { id: second.sessionId }, { token: account.accessToken }));
    const changed = expectNoErrors(
      await t.graphql(
        CHANGE_PASSWORD,
        { currentPassword: STRONG_PASSWORD, newPassword: SECOND_PASSWORD },
        { token: account.accessToken },
      ),
    ).changePassword;
    expectNoErrors(await t.graphql(LOGOUT_ALL, {}, { token: changed.accessToken }));
    const again = await logIn(t, { email: account.email, password: SECOND_PASSWORD });
    expectNoErrors(await t.graphql(DELETE_ME, { password: SECOND_PASSWORD }, { token: again.accessToken }));
    expect(await typesOf(account.userId)).toEqual([
      'SIGN_UP',
      'EMAIL_VERIFICATION_SENT',
      'LOGIN_SUCCEEDED',
      'SESSION_REVOKED',
      'PASSWORD_CHANGED',
      'LOGOUT_ALL',
      'LOGIN_SUCCEEDED',
      'ACCOUNT_DELETED',
    ]);
  });

  it('records role changes and sessions revoked by an admin, naming the admin', async () => {
    const account = await signedUp();
    expectNoErrors(await t.graphql(SET_ROLE, { userId: account.userId, role: 'ADMIN' }, { token: admin.accessToken }));
    expectNoErrors(await t.graphql(REVOKE_USER_SESSIONS, { userId: account.userId }, { token: admin.accessToken }));
    const [revoked, roleChanged] = await eventsOf(account.userId);
    expect(roleChanged).toMatchObject({ type: 'ROLE_CHANGED', actorId: admin.userId, detail: { role: 'ADMIN' } });
    expect(revoked).toMatchObject({ type: 'USER_SESSIONS_REVOKED', actorId: admin.userId, detail: { sessions: 1 } });
  });

  it('records a rate limit once, when it is first reached', async () => {
    const account = await signedUp();
    for (let i = 0; i < 4; i++) await t.graphql(LOGIN, { email: account.email, password: `wrong-password-${i}` });
    // Written after the refusal is answered.
    await t.settle();
    const limited = await t.services.prisma.authEvent.count({
      where: { type: 'RATE_LIMITED', detail: { path: ['limit'], equals: 'login-failures-email-ip' } },
    });
    expect(limited).toBe(1);
  });

  it('never holds a password or a token', async () => {
    const account = await signedUp();
    await t.graphql(LOGIN, { email: account.email, password: 'a-wrong-password-9' });
    await t.graphql(REFRESH, { refreshToken: account.refreshToken });
    const everything = JSON.stringify(await t.services.prisma.authEvent.findMany());
    for (const secret of [STRONG_PASSWORD, 'a-wrong-password-9', account.accessToken, account.refreshToken]) {
      expect(everything).not.toContain(secret);
    }
  });
});

describe('authEvents', () => {
  it('is for admins only', async () => {
    const account = await signedUp();
    expectError(await t.graphql(AUTH_EVENTS, {}, { token: account.accessToken }), 'FORBIDDEN');
    expectError(await t.graphql(AUTH_EVENTS, {}), 'UNAUTHENTICATED');
  });

  it('pages newest first with cursors and a total count', async () => {
    const account = await signedUp();
    for (let i = 0; i < 3; i++) await logIn(t, account);
    const firstPage = expectNoErrors(
      await t.graphql(AUTH_EVENTS, { userId: account.userId, first: 3 }, { token: admin.accessToken }),
    );
    expect(firstPage.authEvents.totalCount).toBe(5);
    expect(firstPage.authEvents.pageInfo.hasNextPage).toBe(true);
    const secondPage = expectNoErrors(
      await t.graphql(
        AUTH_EVENTS,
        { userId: account.userId, first: 3, after: firstPage.authEvents.pageInfo.endCursor },
        { token: admin.accessToken },
      ),
    );
    const all = [...firstPage.authEvents.edges, ...secondPage.authEvents.edges].map((e) => e.node);
    expect(all.map((e) => e.type)).toEqual([
      'LOGIN_SUCCEEDED',
      'LOGIN_SUCCEEDED',
      'LOGIN_SUCCEEDED',
      'EMAIL_VERIFICATION_SENT',
      'SIGN_UP',
    ]);
    const times = all.map((e) => Date.parse(e.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(secondPage.authEvents.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses a negative page size or a cursor it never handed out as BAD_USER_INPUT', async () => {
    const forged = Buffer.from('GPC:S:not-an-id').toString('base64');
    for (const [variables, field] of [
      [{ first: -1 }, 'first'],
      [{ after: forged }, 'after'],
      [{ after: 'garbage' }, 'after'],
    ] as const) {
      const error = expectError(
        await t.graphql(AUTH_EVENTS, variables, { token: admin.accessToken }),
        'BAD_USER_INPUT',
      );
      expect(error.extensions?.field).toBe(field);
    }
  });

  it('answers an unknown or malformed userId with an empty page', async () => {
    for (const userId of ['00000000-0000-7000-8000-000000000000', 'not-a-uuid']) {
      const data = expectNoErrors(await t.graphql(AUTH_EVENTS, { userId }, { token: admin.accessToken }));
      expect(data.authEvents).toMatchObject({ totalCount: 0, edges: [] });
    }
  });
});

describe('retention', () => {
  // Moves the service's clock past the retention (and every session's life): keep it last.
  it('deletes events older than AUDIT_RETENTION', async () => {
    const { prisma } = t.services;
    const before = await signedUp();
    const old = await prisma.authEvent.findFirstOrThrow({ where: { userId: before.userId, type: 'SIGN_UP' } });
    t.clock.advance(t.config.auditRetentionSeconds + 86400);
    const after = await signedUp();
    const pruned = await pruneAuthEvents(prisma, t.config.auditRetentionSeconds, t.clock.now());
    expect(pruned).toBeGreaterThanOrEqual(1);
    expect(await prisma.authEvent.findUnique({ where: { id: old.id } })).toBeNull();
    expect(await prisma.authEvent.count({ where: { userId: after.userId } })).toBe(2);
    expect(await prisma.authEvent.count()).toBeGreaterThan(0);
  });
});
