import { randomUUID } from 'node:crypto';
import type { VariablesOf } from '@graphql-typed-document-node/core';
import { beforeAll, describe, expect } from 'vitest';
import { setRole as promote } from '../../src/auth/accounts/admin.ts';
import {
  CHANGE_PASSWORD,
  DELETE_ME,
  expectError,
  expectNoErrors,
  expiredTokenFor,
  LOGIN,
  logIn,
  LOGOUT,
  ME,
  payloadOf,
  REFRESH,
  REVOKE_USER_SESSIONS,
  SESSIONS,
  SET_ROLE,
  signUp,
  signUpAdmin,
  STRONG_PASSWORD,
  UPDATE_ME,
  type Account,
  type GraphQLResponse,
  type TestApp,
} from '../fixtures/index.ts';
import { test as it } from '../fixtures/suite.ts';

let t: TestApp;
it.beforeAll(({ app }) => {
  t = app;
});

// ---------------------------------------------------------------------------
// Helpers: the calls and the checks repeated below

const me = (token?: string) => t.graphql(ME, {}, { token });

/** The token works: `me` returns its user. */
async function expectSignedIn(token: string, userId: string) {
  const { me: user } = expectNoErrors(await me(token));
  expect(user?.id).toBe(userId);
  return user!;
}

/** The token is refused by `me` with UNAUTHENTICATED and `reason`, and `me` is null. */
async function expectRefused(token: string, reason: 'TOKEN_EXPIRED' | 'TOKEN_REVOKED') {
  const response = await me(token);
  expect(response.status).toBe(200);
  expectError(response, 'UNAUTHENTICATED', reason);
  expect(response.body.data).toEqual({ me: null });
}

const refresh = (refreshToken: string) => t.graphql(REFRESH, { refreshToken });

async function expectRefreshRefused(refreshToken: string) {
  const response = await refresh(refreshToken);
  expectError(response, 'UNAUTHENTICATED');
  expect(response.body.data).toBeNull();
}

const changePassword = (token: string | undefined, currentPassword: string, newPassword: string) =>
  t.graphql(CHANGE_PASSWORD, { currentPassword, newPassword }, { token });

const updateMe = (token: string | undefined, variables: { name?: string | null }) =>
  t.graphql(UPDATE_ME, variables, { token });

const deleteMe = (token: string | undefined, password: string) => t.graphql(DELETE_ME, { password }, { token });

const setRole = (token: string | undefined, userId: string, role: VariablesOf<typeof SET_ROLE>['role']) =>
  t.graphql(SET_ROLE, { userId, role }, { token });

const revokeUserSessions = (token: string | undefined, userId: string) =>
  t.graphql(REVOKE_USER_SESSIONS, { userId }, { token });

/** A single error with `code` (and `extensions`) on a root field, whose data is therefore null. */
function expectFailure(response: GraphQLResponse<unknown>, code: string, extensions: Record<string, unknown> = {}) {
  expect(response.status).toBe(200);
  const error = expectError(response, code, extensions);
  expect(response.body.data).toBeNull();
  return error;
}

const storedRole = async (userId: string) =>
  (await t.services.prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { role: true } })).role;

/** A new password that meets every rule and differs from STRONG_PASSWORD. */
const NEW_PASSWORD = 'quiet-meadow-compass-97';

// ---------------------------------------------------------------------------

describe('changePassword', () => {
  it('returns a fresh pair for the same session (sid unchanged) whose access token works with me', async () => {
    const account = await signUp(t);
    const { changePassword: payload } = expectNoErrors(
      await changePassword(account.accessToken, STRONG_PASSWORD, NEW_PASSWORD),
    );
    expect(payload.tokenType).toBe('Bearer');
    expect(payload.expiresIn).toBe(900);
    expect(payload.user.id).toBe(account.userId);
    expect(payload.accessToken).not.toBe(account.accessToken);
    expect(payload.refreshToken).not.toBe(account.refreshToken);
    expect(payloadOf(payload.accessToken).sid).toBe(account.sessionId);
    expect(payloadOf(payload.accessToken).sub).toBe(account.userId);
    await expectSignedIn(payload.accessToken, account.userId);
  });

  it('returns a refresh token that refreshes the same session', async () => {
    const account = await signUp(t);
    const { changePassword: payload } = expectNoErrors(
      await changePassword(account.accessToken, STRONG_PASSWORD, NEW_PASSWORD),
    );
    const { refresh: next } = expectNoErrors(await refresh(payload.refreshToken));
    expect(next.user.id).toBe(account.userId);
    expect(payloadOf(next.accessToken).sid).toBe(account.sessionId);
    await expectSignedIn(next.accessToken, account.userId);
  });

  it('makes the old password fail at login and the new one succeed', async () => {
    const account = await signUp(t);
    expectNoErrors(await changePassword(account.accessToken, STRONG_PASSWORD, NEW_PASSWORD));
    expectFailure(await t.graphql(LOGIN, { email: account.email, password: STRONG_PASSWORD }), 'UNAUTHENTICATED');
    const loggedIn = await logIn(t, { email: account.email, password: NEW_PASSWORD });
    expect(loggedIn.userId).toBe(account.userId);
  });

  it("ends every other session of the user at once: a second login's access token gets TOKEN_REVOKED", async () => {
    const account = await signUp(t);
    const other = await logIn(t, account);
    await expectSignedIn(other.accessToken, account.userId);
    expectNoErrors(await changePassword(account.accessToken, STRONG_PASSWORD, NEW_PASSWORD));
    await expectRefused(other.accessToken, 'TOKEN_REVOKED');
  });

  it("refuses the other sessions' refresh tokens afterwards", async () => {
    const account = await signUp(t);
    const other = await logIn(t, account);
    expectNoErrors(await changePassword(account.accessToken, STRONG_PASSWORD, NEW_PASSWORD));
    await expectRefreshRefused(other.refreshToken);
  });

  it('leaves only the calling session in sessions, marked current', async () => {
    const account = await signUp(t);
    await logIn(t, account);
    await logIn(t, account);
    const { changePassword: payload } = expectNoErrors(
      await changePassword(account.accessToken, STRONG_PASSWORD, NEW_PASSWORD),
    );
    const { sessions } = expectNoErrors(await t.graphql(SESSIONS, {}, { token: payload.accessToken }));
    expect(sessions).toEqual([expect.objectContaining({ id: account.sessionId, current: true })]);
  });

  it("refuses the calling session's earlier refresh token afterwards, without ending the session", async () => {
    const account = await signUp(t);
    const { changePassword: payload } = expectNoErrors(
      await changePassword(account.accessToken, STRONG_PASSWORD, NEW_PASSWORD),
    );
    await expectRefreshRefused(account.refreshToken);
    // The attempt is not read as a replay: the session and the new pair still work.
    await expectSignedIn(payload.accessToken, account.userId);
    const { refresh: next } = expectNoErrors(await refresh(payload.refreshToken));
    expect(payloadOf(next.accessToken).sid).toBe(account.sessionId);
    await expectSignedIn(next.accessToken, account.userId);
  });

  it('refuses a wrong current password with BAD_USER_INPUT on currentPassword and changes nothing', async () => {
    const account = await signUp(t);
    const other = await logIn(t, account);
    const response = await changePassword(account.accessToken, 'not-the-password-at-all', NEW_PASSWORD);
    expectFailure(response, 'BAD_USER_INPUT', { field: 'currentPassword' });
    await expectSignedIn(account.accessToken, account.userId);
    await expectSignedIn(other.accessToken, account.userId);
    expectNoErrors(await refresh(other.refreshToken));
    expectNoErrors(await refresh(account.refreshToken));
    await logIn(t, account);
    expectFailure(await t.graphql(LOGIN, { email: account.email, password: NEW_PASSWORD }), 'UNAUTHENTICATED');
  });

  const badNewPasswords: Array<[string, (email: string) => string]> = [
    ['is too short (7 characters)', () => 'Vk3-q9z'],
    ['is a well-known common password', () => 'password123'],
    ['is the email itself', (email) => email.toUpperCase()],
    ['is over 72 bytes in UTF-8', () => `${'é'.repeat(36)}a`],
  ];

  it.each(badNewPasswords)(
    'refuses a new password that %s with BAD_USER_INPUT on newPassword, keeping the current one',
    async (_label, newPassword) => {
      const account = await signUp(t);
      const other = await logIn(t, account);
      const response = await changePassword(account.accessToken, STRONG_PASSWORD, newPassword(account.email));
      expectFailure(response, 'BAD_USER_INPUT', { field: 'newPassword' });
      await expectSignedIn(other.accessToken, account.userId);
      await logIn(t, account);
    },
  );

  it('refuses a new password equal to the current one with BAD_USER_INPUT on newPassword', async () => {
    const account = await signUp(t);
    const other = await logIn(t, account);
    const response = await changePassword(account.accessToken, STRONG_PASSWORD, STRONG_PASSWORD);
    expectFailure(response, 'BAD_USER_INPUT', { field: 'newPassword' });
    await expectSignedIn(other.accessToken, account.userId);
  });

  it('refuses a caller without a token with UNAUTHENTICATED and no reason', async () => {
    const account = await signUp(t);
    const error = expectFailure(await changePassword(undefined, STRONG_PASSWORD, NEW_PASSWORD), 'UNAUTHENTICATED');
    expect(error.extensions?.reason).toBeUndefined();
    await logIn(t, account);
  });

  it('refuses an expired access token with UNAUTHENTICATED reason TOKEN_EXPIRED and keeps the password', async () => {
    const account = await signUp(t);
    const response = await changePassword(expiredTokenFor(account), STRONG_PASSWORD, NEW_PASSWORD);
    expectFailure(response, 'UNAUTHENTICATED', { reason: 'TOKEN_EXPIRED' });
    await logIn(t, account);
  });

  it('refuses the access token of a logged-out session with UNAUTHENTICATED reason TOKEN_REVOKED and keeps the password', async () => {
    const account = await signUp(t);
    expect(expectNoErrors(await t.graphql(LOGOUT, {}, { token: account.accessToken })).logout).toBe(true);
    const response = await changePassword(account.accessToken, STRONG_PASSWORD, NEW_PASSWORD);
    expectFailure(response, 'UNAUTHENTICATED', { reason: 'TOKEN_REVOKED' });
    await logIn(t, account);
  });
});

describe('updateMe', () => {
  it('sets the name trimmed, and me shows it', async () => {
    const account = await signUp(t);
    const { updateMe: user } = expectNoErrors(await updateMe(account.accessToken, { name: '  Ada Lovelace  ' }));
    expect(user).toMatchObject({ id: account.userId, email: account.email, name: 'Ada Lovelace', role: 'USER' });
    expect((await expectSignedIn(account.accessToken, account.userId)).name).toBe('Ada Lovelace');
  });

  it('removes the name when given null', async () => {
    const account = await signUp(t, { name: 'Grace' });
    const { updateMe: user } = expectNoErrors(await updateMe(account.accessToken, { name: null }));
    expect(user.name).toBeNull();
    expect((await expectSignedIn(account.accessToken, account.userId)).name).toBeNull();
  });

  it('removes the name when given an empty string', async () => {
    const account = await signUp(t, { name: 'Grace' });
    const { updateMe: user } = expectNoErrors(await updateMe(account.accessToken, { name: '' }));
    expect(user.name).toBeNull();
    expect((await expectSignedIn(account.accessToken, account.userId)).name).toBeNull();
  });

  it('leaves the name alone when the argument is left out', async () => {
    const account = await signUp(t, { name: 'Grace' });
    const { updateMe: user } = expectNoErrors(await updateMe(account.accessToken, {}));
    expect(user.name).toBe('Grace');
    expect((await expectSignedIn(account.accessToken, account.userId)).name).toBe('Grace');
  });

  it('accepts a name of exactly 100 characters', async () => {
    const account = await signUp(t);
    const name = 'n'.repeat(100);
    expect(expectNoErrors(await updateMe(account.accessToken, { name })).updateMe.name).toBe(name);
  });

  it('refuses a name of 101 characters with BAD_USER_INPUT on name and keeps the old one', async () => {
    const account = await signUp(t, { name: 'Grace' });
    expectFailure(await updateMe(account.accessToken, { name: 'n'.repeat(101) }), 'BAD_USER_INPUT', { field: 'name' });
    expect((await expectSignedIn(account.accessToken, account.userId)).name).toBe('Grace');
  });

  it('refuses a caller without a token with UNAUTHENTICATED', async () => {
    expectFailure(await updateMe(undefined, { name: 'Nobody' }), 'UNAUTHENTICATED');
  });
});

describe('deleteMe', () => {
  it('returns true for the right password', async () => {
    const account = await signUp(t);
    expect(expectNoErrors(await deleteMe(account.accessToken, STRONG_PASSWORD)).deleteMe).toBe(true);
  });

  it('removes the user row, its sessions and their refresh tokens', async () => {
    const account = await signUp(t);
    const other = await logIn(t, account);
    const { prisma } = t.services;
    const sessionIds = [account.sessionId, other.sessionId];
    expect(await prisma.refreshToken.count({ where: { sessionId: { in: sessionIds } } })).toBe(2);

    expectNoErrors(await deleteMe(account.accessToken, STRONG_PASSWORD));

    expect(await prisma.user.findUnique({ where: { id: account.userId } })).toBeNull();
    expect(
      await prisma.session.count({ where: { OR: [{ userId: account.userId }, { id: { in: sessionIds } }] } }),
    ).toBe(0);
    expect(await prisma.refreshToken.count({ where: { sessionId: { in: sessionIds } } })).toBe(0);
  });

  it('stops the access tokens of every session at once: TOKEN_REVOKED', async () => {
    const account = await signUp(t);
    const other = await logIn(t, account);
    expectNoErrors(await deleteMe(account.accessToken, STRONG_PASSWORD));
    await expectRefused(account.accessToken, 'TOKEN_REVOKED');
    await expectRefused(other.accessToken, 'TOKEN_REVOKED');
  });

  it('refuses the refresh tokens of the deleted account', async () => {
    const account = await signUp(t);
    const other = await logIn(t, account);
    expectNoErrors(await deleteMe(account.accessToken, STRONG_PASSWORD));
    await expectRefreshRefused(account.refreshToken);
    await expectRefreshRefused(other.refreshToken);
  });

  it('frees the email: the same address signs up again as a new user', async () => {
    const account = await signUp(t);
    expectNoErrors(await deleteMe(account.accessToken, STRONG_PASSWORD));
    expectFailure(await t.graphql(LOGIN, { email: account.email, password: STRONG_PASSWORD }), 'UNAUTHENTICATED');
    const again = await signUp(t, { email: account.email, password: NEW_PASSWORD });
    expect(again.email).toBe(account.email);
    expect(again.userId).not.toBe(account.userId);
    await expectSignedIn(again.accessToken, again.userId);
  });

  it('refuses a wrong password with BAD_USER_INPUT on password and keeps the account', async () => {
    const account = await signUp(t);
    expectFailure(await deleteMe(account.accessToken, 'not-the-password-at-all'), 'BAD_USER_INPUT', {
      field: 'password',
    });
    expect(await t.services.prisma.user.findUnique({ where: { id: account.userId } })).not.toBeNull();
    await expectSignedIn(account.accessToken, account.userId);
    await logIn(t, account);
  });

  it('refuses a caller without a token with UNAUTHENTICATED', async () => {
    expectFailure(await deleteMe(undefined, STRONG_PASSWORD), 'UNAUTHENTICATED');
  });
});

describe('setRole', () => {
  let admin: Account;
  beforeAll(async () => {
    admin = await signUpAdmin(t, { name: 'Admin' });
  });

  it('refuses a USER with FORBIDDEN (signed in but not allowed) and changes no role', async () => {
    const caller = await signUp(t);
    const target = await signUp(t);
    const error = expectFailure(await setRole(caller.accessToken, target.userId, 'ADMIN'), 'FORBIDDEN');
    expect(error.path).toEqual(['setRole']);
    expect(await storedRole(target.userId)).toBe('USER');
    expect(await storedRole(caller.userId)).toBe('USER');
  });

  it('refuses a USER promoting themselves with FORBIDDEN', async () => {
    const caller = await signUp(t);
    expectFailure(await setRole(caller.accessToken, caller.userId, 'ADMIN'), 'FORBIDDEN');
    expect(await storedRole(caller.userId)).toBe('USER');
  });

  it('refuses a caller without a token with UNAUTHENTICATED', async () => {
    const target = await signUp(t);
    expectFailure(await setRole(undefined, target.userId, 'ADMIN'), 'UNAUTHENTICATED');
    expect(await storedRole(target.userId)).toBe('USER');
  });

  it("refuses an admin's expired access token with UNAUTHENTICATED reason TOKEN_EXPIRED, not FORBIDDEN", async () => {
    const target = await signUp(t);
    expectFailure(await setRole(expiredTokenFor(admin), target.userId, 'ADMIN'), 'UNAUTHENTICATED', {
      reason: 'TOKEN_EXPIRED',
    });
    expect(await storedRole(target.userId)).toBe('USER');
  });

  it('lets an ADMIN promote a user to ADMIN, returning the user with the new role', async () => {
    const target = await signUp(t, { name: 'Promoted' });
    const { setRole: user } = expectNoErrors(await setRole(admin.accessToken, target.userId, 'ADMIN'));
    expect(user).toMatchObject({ id: target.userId, email: target.email, name: 'Promoted', role: 'ADMIN' });
    expect(await storedRole(target.userId)).toBe('ADMIN');
  });

  it("lets the promoted user's very next request, with the same access token, call an ADMIN-only field", async () => {
    const promoted = await signUp(t);
    const bystander = await signUp(t);
    expectFailure(await setRole(promoted.accessToken, bystander.userId, 'USER'), 'FORBIDDEN');
    expectNoErrors(await setRole(admin.accessToken, promoted.userId, 'ADMIN'));
    const { setRole: user } = expectNoErrors(await setRole(promoted.accessToken, bystander.userId, 'USER'));
    expect(user).toMatchObject({ id: bystander.userId, role: 'USER' });
  });

  it('makes a demotion take effect on the next request: FORBIDDEN again with the same token', async () => {
    const demoted = await signUp(t);
    const bystander = await signUp(t);
    expectNoErrors(await setRole(admin.accessToken, demoted.userId, 'ADMIN'));
    expectNoErrors(await setRole(demoted.accessToken, bystander.userId, 'USER'));
    const { setRole: user } = expectNoErrors(await setRole(admin.accessToken, demoted.userId, 'USER'));
    expect(user.role).toBe('USER');
    expectFailure(await setRole(demoted.accessToken, bystander.userId, 'USER'), 'FORBIDDEN');
    expectFailure(await revokeUserSessions(demoted.accessToken, bystander.userId), 'FORBIDDEN');
  });

  it('refuses an unknown UUID with BAD_USER_INPUT on userId', async () => {
    expectFailure(await setRole(admin.accessToken, randomUUID(), 'ADMIN'), 'BAD_USER_INPUT', { field: 'userId' });
  });

  it.each(['not-a-uuid', '', '42', "' OR '1'='1", `${randomUUID()}x`])(
    'refuses the non-UUID userId %j with BAD_USER_INPUT on userId, never a 500',
    async (userId) => {
      expectFailure(await setRole(admin.accessToken, userId, 'ADMIN'), 'BAD_USER_INPUT', { field: 'userId' });
    },
  );

  it('writes a log line with event role_change naming the user, the new role and the admin', async () => {
    const target = await signUp(t);
    expectNoErrors(await setRole(admin.accessToken, target.userId, 'ADMIN'));
    const lines = t.logs.filter((line) => line.event === 'role_change' && line.userId === target.userId);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ role: 'ADMIN', by: admin.userId });
  });

  it('writes no role_change log line when the call is refused', async () => {
    const caller = await signUp(t);
    const target = await signUp(t);
    expectFailure(await setRole(caller.accessToken, target.userId, 'ADMIN'), 'FORBIDDEN');
    expectFailure(await setRole(admin.accessToken, randomUUID(), 'ADMIN'), 'BAD_USER_INPUT', { field: 'userId' });
    expect(t.logs.filter((line) => line.event === 'role_change' && line.userId === target.userId)).toHaveLength(0);
  });
});

describe('revokeUserSessions', () => {
  let admin: Account;
  beforeAll(async () => {
    admin = await signUpAdmin(t, { name: 'Admin' });
  });

  it('ends every session of the user at once: both access tokens get TOKEN_REVOKED', async () => {
    const first = await signUp(t);
    const second = await logIn(t, first);
    await expectSignedIn(first.accessToken, first.userId);
    await expectSignedIn(second.accessToken, first.userId);
    expect(expectNoErrors(await revokeUserSessions(admin.accessToken, first.userId)).revokeUserSessions).toBe(true);
    await expectRefused(first.accessToken, 'TOKEN_REVOKED');
    await expectRefused(second.accessToken, 'TOKEN_REVOKED');
  });

  it("refuses that user's refresh tokens afterwards", async () => {
    const first = await signUp(t);
    const second = await logIn(t, first);
    expectNoErrors(await revokeUserSessions(admin.accessToken, first.userId));
    await expectRefreshRefused(first.refreshToken);
    await expectRefreshRefused(second.refreshToken);
  });

  it("keeps the admin's own session working", async () => {
    const target = await signUp(t);
    expectNoErrors(await revokeUserSessions(admin.accessToken, target.userId));
    await expectSignedIn(admin.accessToken, admin.userId);
    const { refresh: next } = expectNoErrors(await refresh(admin.refreshToken));
    admin = { ...admin, accessToken: next.accessToken, refreshToken: next.refreshToken };
    await expectSignedIn(admin.accessToken, admin.userId);
  });

  it("leaves other users' sessions alone", async () => {
    const target = await signUp(t);
    const bystander = await signUp(t);
    expectNoErrors(await revokeUserSessions(admin.accessToken, target.userId));
    await expectSignedIn(bystander.accessToken, bystander.userId);
  });

  it('still lets the user log in again afterwards', async () => {
    const target = await signUp(t);
    expectNoErrors(await revokeUserSessions(admin.accessToken, target.userId));
    const again = await logIn(t, target);
    await expectSignedIn(again.accessToken, target.userId);
  });

  it('refuses a USER with FORBIDDEN and ends no session', async () => {
    const caller = await signUp(t);
    const target = await signUp(t);
    const error = expectFailure(await revokeUserSessions(caller.accessToken, target.userId), 'FORBIDDEN');
    expect(error.path).toEqual(['revokeUserSessions']);
    await expectSignedIn(target.accessToken, target.userId);
  });

  it('refuses a caller without a token with UNAUTHENTICATED', async () => {
    const target = await signUp(t);
    expectFailure(await revokeUserSessions(undefined, target.userId), 'UNAUTHENTICATED');
    await expectSignedIn(target.accessToken, target.userId);
  });

  it('refuses an unknown UUID with BAD_USER_INPUT on userId', async () => {
    expectFailure(await revokeUserSessions(admin.accessToken, randomUUID()), 'BAD_USER_INPUT', { field: 'userId' });
  });

  it('refuses a non-UUID userId with BAD_USER_INPUT on userId, never a 500', async () => {
    expectFailure(await revokeUserSessions(admin.accessToken, 'not-a-uuid'), 'BAD_USER_INPUT', { field: 'userId' });
  });
});

describe('a role is read afresh on every request', () => {
  it('shows the new role in me right after setRole, with the old token', async () => {
    const admin = await signUpAdmin(t, { name: 'Admin' });
    const user = await signUp(t);
    expect((await expectSignedIn(user.accessToken, user.userId)).role).toBe('USER');
    expectNoErrors(await setRole(admin.accessToken, user.userId, 'ADMIN'));
    expect((await expectSignedIn(user.accessToken, user.userId)).role).toBe('ADMIN');
    expectNoErrors(await setRole(admin.accessToken, user.userId, 'USER'));
    expect((await expectSignedIn(user.accessToken, user.userId)).role).toBe('USER');
  });

  it('lets an admin made in the database act on its next request, with the token it already had', async () => {
    const account = await signUp(t);
    const target = await signUp(t);
    expectFailure(await revokeUserSessions(account.accessToken, target.userId), 'FORBIDDEN');
    // Promoted outside the API, as `npm run admin -- promote` does.
    await promote(t.services, null, account.userId, 'ADMIN', { userAgent: 'test' });
    expect(expectNoErrors(await revokeUserSessions(account.accessToken, target.userId)).revokeUserSessions).toBe(true);
  });
});
