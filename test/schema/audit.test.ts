import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneAuthEvents } from '../../src/auth/audit/audit.ts';
import {
  AUTH_EVENTS,
  CHANGE_PASSWORD,
  DELETE_ME,
  LOGIN,
  LOGOUT,
  LOGOUT_ALL,
  REFRESH,
  REVOKE_SESSION,
  REVOKE_USER_SESSIONS,
  SET_ROLE,
  SIGN_UP,
  type AuthPayload,
} from '../helpers/documents.ts';
import { expectData, expectError } from '../helpers/expect-graphql.ts';
import { createTestApp, STRONG_PASSWORD, uniqueEmail, type RequestOptions, type TestApp } from '../helpers/test-app.ts';
import { payloadOf } from '../helpers/tokens.ts';

const AGENT = { headers: { 'user-agent': 'AuditTest/1.0' } } satisfies RequestOptions;
const SECOND_PASSWORD = 'quiet-meadow-compass-77';

let t: TestApp;
let admin: AuthPayload;
beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT: 'on', RATE_LIMIT_LOGIN_FAILURES_EMAIL_IP: '2/15m' });
  admin = await signUp();
  await t.services.prisma.user.update({ where: { id: admin.user.id }, data: { role: 'ADMIN' } });
});
afterAll(() => t.close());

async function signUp(email = uniqueEmail('audit')): Promise<AuthPayload> {
  return expectData(await t.graphql(SIGN_UP, { email, password: STRONG_PASSWORD }, AGENT)).signUp;
}

async function eventsOf(userId: string) {
  const data = expectData(await t.graphql(AUTH_EVENTS, { userId, first: 100 }, { token: admin.accessToken }));
  return data.authEvents.edges.map((edge) => edge.node);
}

const typesOf = async (userId: string) => (await eventsOf(userId)).map((e) => e.type).reverse();

describe('the audit trail', () => {
  it('records sign-up, login success and failure with the user, session and user agent', async () => {
    const account = await signUp();
    await t.graphql(LOGIN, { email: account.user.email, password: 'not-the-password-1' }, AGENT);
    const login = expectData(await t.graphql(LOGIN, { email: account.user.email, password: STRONG_PASSWORD }, AGENT));
    const events = (await eventsOf(account.user.id)).reverse();
    expect(events.map((e) => e.type)).toEqual(['SIGN_UP', 'LOGIN_FAILED', 'LOGIN_SUCCEEDED']);
    expect(events[0]).toMatchObject({ sessionId: payloadOf(account.accessToken).sid, userAgent: 'AuditTest/1.0' });
    expect(events[2]).toMatchObject({ sessionId: payloadOf(login.login.accessToken).sid });
  });

  it('records refresh, reuse of a retired refresh token, and logout', async () => {
    const account = await signUp();
    expectData(await t.graphql(REFRESH, { refreshToken: account.refreshToken }));
    // Age the retired token past the grace window, then replay it.
    await t.services.prisma.refreshToken.updateMany({
      where: { retiredAt: { not: null }, session: { userId: account.user.id } },
      data: { retiredAt: new Date(Date.now() - 60_000) },
    });
    await t.graphql(REFRESH, { refreshToken: account.refreshToken });
    const other = await signUp();
    expectData(await t.graphql(LOGOUT, { refreshToken: other.refreshToken }));
    expect(await typesOf(account.user.id)).toEqual(['SIGN_UP', 'REFRESH', 'REFRESH_TOKEN_REUSE']);
    expect(await typesOf(other.user.id)).toEqual(['SIGN_UP', 'LOGOUT']);
  });

  it('records logoutAll, revokeSession, password change and account deletion', async () => {
    const account = await signUp();
    const second = expectData(await t.graphql(LOGIN, { email: account.user.email, password: STRONG_PASSWORD })).login;
    expectData(
      await t.graphql(
        REVOKE_SESSION,
        { id: String(payloadOf(second.accessToken).sid) },
        { token: account.accessToken },
      ),
    );
    const changed = expectData(
      await t.graphql(
        CHANGE_PASSWORD,
        { currentPassword: STRONG_PASSWORD, newPassword: SECOND_PASSWORD },
        { token: account.accessToken },
      ),
    ).changePassword;
    expectData(await t.graphql(LOGOUT_ALL, {}, { token: changed.accessToken }));
    const again = expectData(await t.graphql(LOGIN, { email: account.user.email, password: SECOND_PASSWORD })).login;
    expectData(await t.graphql(DELETE_ME, { password: SECOND_PASSWORD }, { token: again.accessToken }));
    expect(await typesOf(account.user.id)).toEqual([
      'SIGN_UP',
      'LOGIN_SUCCEEDED',
      'SESSION_REVOKED',
      'PASSWORD_CHANGED',
      'LOGOUT_ALL',
      'LOGIN_SUCCEEDED',
      'ACCOUNT_DELETED',
    ]);
  });

  it('records role changes and sessions revoked by an admin, naming the admin', async () => {
    const account = await signUp();
    expectData(await t.graphql(SET_ROLE, { userId: account.user.id, role: 'ADMIN' }, { token: admin.accessToken }));
    expectData(await t.graphql(REVOKE_USER_SESSIONS, { userId: account.user.id }, { token: admin.accessToken }));
    const [revoked, roleChanged] = await eventsOf(account.user.id);
    expect(roleChanged).toMatchObject({ type: 'ROLE_CHANGED', actorId: admin.user.id, detail: { role: 'ADMIN' } });
    expect(revoked).toMatchObject({ type: 'USER_SESSIONS_REVOKED', actorId: admin.user.id, detail: { sessions: 1 } });
  });

  it('records a rate limit once, when it is first reached', async () => {
    const account = await signUp();
    for (let i = 0; i < 4; i++) await t.graphql(LOGIN, { email: account.user.email, password: `wrong-password-${i}` });
    // Written beside the refusal, not before it answers: wait for the row.
    const limited = () =>
      t.services.prisma.authEvent.count({
        where: { type: 'RATE_LIMITED', detail: { path: ['limit'], equals: 'login-failures-email-ip' } },
      });
    await expect.poll(limited).toBe(1);
  });

  it('never holds a password or a token', async () => {
    const account = await signUp();
    await t.graphql(LOGIN, { email: account.user.email, password: 'a-wrong-password-9' });
    await t.graphql(REFRESH, { refreshToken: account.refreshToken });
    const everything = JSON.stringify(await t.services.prisma.authEvent.findMany());
    for (const secret of [STRONG_PASSWORD, 'a-wrong-password-9', account.accessToken, account.refreshToken]) {
      expect(everything).not.toContain(secret);
    }
  });
});

describe('authEvents', () => {
  it('is for admins only', async () => {
    const account = await signUp();
    expectError(await t.graphql(AUTH_EVENTS, {}, { token: account.accessToken }), 'FORBIDDEN');
    expectError(await t.graphql(AUTH_EVENTS, {}), 'UNAUTHENTICATED');
  });

  it('pages newest first with cursors and a total count', async () => {
    const account = await signUp();
    for (let i = 0; i < 4; i++) await t.graphql(LOGIN, { email: account.user.email, password: STRONG_PASSWORD });
    const firstPage = expectData(
      await t.graphql(AUTH_EVENTS, { userId: account.user.id, first: 3 }, { token: admin.accessToken }),
    );
    expect(firstPage.authEvents.totalCount).toBe(5);
    expect(firstPage.authEvents.pageInfo.hasNextPage).toBe(true);
    const secondPage = expectData(
      await t.graphql(
        AUTH_EVENTS,
        { userId: account.user.id, first: 3, after: firstPage.authEvents.pageInfo.endCursor },
        { token: admin.accessToken },
      ),
    );
    const all = [...firstPage.authEvents.edges, ...secondPage.authEvents.edges].map((e) => e.node);
    expect(all.map((e) => e.type)).toEqual([
      'LOGIN_SUCCEEDED',
      'LOGIN_SUCCEEDED',
      'LOGIN_SUCCEEDED',
      'LOGIN_SUCCEEDED',
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
      const data = expectData(await t.graphql(AUTH_EVENTS, { userId }, { token: admin.accessToken }));
      expect(data.authEvents).toMatchObject({ totalCount: 0, edges: [] });
    }
  });
});

describe('retention', () => {
  it('deletes events older than AUDIT_RETENTION', async () => {
    const { prisma } = t.services;
    const old = await prisma.authEvent.create({
      data: { type: 'LOGIN_FAILED', ip: randomBytes(4).join('.'), createdAt: new Date(Date.now() - 91 * 86400_000) },
    });
    const pruned = await pruneAuthEvents(prisma, t.config.auditRetentionSeconds);
    expect(pruned).toBeGreaterThanOrEqual(1);
    expect(await prisma.authEvent.findUnique({ where: { id: old.id } })).toBeNull();
    expect(await prisma.authEvent.count()).toBeGreaterThan(0);
  });
});
