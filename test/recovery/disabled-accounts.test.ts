import { describe, expect } from 'vitest';
import {
  type Account,
  expectError,
  expectNoErrors,
  USERS_WITH_DISABLED,
  LOGIN,
  ME,
  REFRESH,
  SET_USER_DISABLED,
  signUp,
  signUpAdmin,
  type TestApp,
} from '../fixtures/index.ts';
import { test as it } from '../fixtures/suite.ts';

// An admin stops an account: it can neither sign in, refresh nor use a
// session, until it is enabled again.

let t: TestApp;
let admin: Account;
it.beforeAll(async ({ app }) => {
  t = app;
  admin = await signUpAdmin(t);
});

const setDisabled = (userId: string, disabled: boolean, token = admin.accessToken) =>
  t.graphql(SET_USER_DISABLED, { userId, disabled }, { token });
const login = (account: Pick<Account, 'email' | 'password'>, password = account.password) =>
  t.graphql(LOGIN, { email: account.email, password });

describe('setUserDisabled', () => {
  it('ends every session at once: access tokens are refused, refresh tokens too', async () => {
    const account = await signUp(t);
    const changed = expectNoErrors(await setDisabled(account.userId, true)).setUserDisabled;
    expect(changed).toEqual({ id: account.userId, email: account.email, disabled: true });
    expectError(await t.graphql(ME, {}, { token: account.accessToken }), 'UNAUTHENTICATED', 'TOKEN_REVOKED');
    expectError(await t.graphql(REFRESH, { refreshToken: account.refreshToken }), 'UNAUTHENTICATED');
  });

  it('answers the right password ACCOUNT_DISABLED, and a wrong one as any wrong one', async () => {
    const account = await signUp(t);
    expectNoErrors(await setDisabled(account.userId, true));
    expectError(await login(account), 'UNAUTHENTICATED', 'ACCOUNT_DISABLED');
    const wrong = expectError(await login(account, 'not-the-password-1'), 'UNAUTHENTICATED');
    expect(wrong.extensions?.reason).toBeUndefined();
  });

  it('lets an enabled account sign in again, its old sessions still ended', async () => {
    const account = await signUp(t);
    expectNoErrors(await setDisabled(account.userId, true));
    expect(expectNoErrors(await setDisabled(account.userId, false)).setUserDisabled.disabled).toBe(false);
    expectNoErrors(await login(account));
    expectError(await t.graphql(ME, {}, { token: account.accessToken }), 'UNAUTHENTICATED', 'TOKEN_REVOKED');
  });

  it('is for admins only, and an admin cannot disable their own account', async () => {
    const account = await signUp(t);
    expectError(await setDisabled(admin.userId, true, account.accessToken), 'FORBIDDEN');
    expectError(await setDisabled(admin.userId, true), 'BAD_USER_INPUT', { field: 'userId' });
    expectError(await setDisabled('not-a-user', true), 'BAD_USER_INPUT', { field: 'userId' });
    expectNoErrors(await t.graphql(ME, {}, { token: admin.accessToken }));
  });

  it('is in the audit trail, naming the admin and the sessions ended', async () => {
    const account = await signUp(t);
    expectNoErrors(await setDisabled(account.userId, true));
    expectNoErrors(await setDisabled(account.userId, false));
    const events = await t.services.prisma.authEvent.findMany({
      where: { userId: account.userId, type: { in: ['ACCOUNT_DISABLED', 'ACCOUNT_ENABLED'] } },
      orderBy: { id: 'asc' },
    });
    expect(events).toMatchObject([
      { type: 'ACCOUNT_DISABLED', actorId: admin.userId, detail: { sessions: 1 } },
      { type: 'ACCOUNT_ENABLED', actorId: admin.userId },
    ]);
  });

  it('shows admins which accounts are disabled, and nobody else', async () => {
    const account = await signUp(t);
    expectNoErrors(await setDisabled(account.userId, true));
    const page = expectNoErrors(await t.graphql(USERS_WITH_DISABLED, { first: 100 }, { token: admin.accessToken }));
    const row = page.users.edges.find((edge) => edge.node.id === account.userId);
    expect(row?.node.disabled).toBe(true);
    const other = await signUp(t);
    const mine = await t.graphql('{ me { id disabled } }', {}, { token: other.accessToken });
    expectError(mine, 'FORBIDDEN');
  });
});
