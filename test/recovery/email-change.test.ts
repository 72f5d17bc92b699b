import { describe, expect } from 'vitest';
import {
  type Account,
  CONFIRM_EMAIL_CHANGE,
  expectError,
  expectNoErrors,
  LOGIN,
  ME_VERIFIED,
  type Mailbox,
  REQUEST_EMAIL_CHANGE,
  REQUEST_PASSWORD_RESET,
  RESET_PASSWORD,
  STRONG_PASSWORD,
  signUp,
  type TestApp,
  tokenFrom,
  uniqueEmail,
} from '../fixtures/index.ts';
import { test as it } from '../fixtures/suite.ts';

// Changing the address of an account: a link to the new address, a notice to
// the old one, and nothing changed until the link is followed.

const CONFIRM_PATH = '/confirm-email-change';

let mailbox: Mailbox;
let t: TestApp;
it.beforeAll(({ mailingApp, mailbox: box }) => {
  t = mailingApp;
  mailbox = box;
});

const requestChange = (account: Account, newEmail: string, password = account.password) =>
  t.graphql(REQUEST_EMAIL_CHANGE, { newEmail, password }, { token: account.accessToken });
const confirm = (token: string) => t.graphql(CONFIRM_EMAIL_CHANGE, { token });

/** Asks for `account` to move to a fresh address; returns it and the token mailed to it. */
async function changeRequested(account: Account): Promise<{ newEmail: string; token: string }> {
  const newEmail = uniqueEmail('new');
  expect(expectNoErrors(await requestChange(account, newEmail)).requestEmailChange).toBe(true);
  await t.settle();
  const mail = await mailbox.next(newEmail, /Confirm your new email address/);
  return { newEmail, token: tokenFrom(mail, CONFIRM_PATH) };
}

describe('requestEmailChange and confirmEmailChange', () => {
  it('mail a link to the new address and a notice to the old one; nothing changes yet', async () => {
    const account = await signUp(t);
    const { newEmail } = await changeRequested(account);
    const notice = await mailbox.next(account.email, /may change/);
    expect(notice.text).toContain(newEmail);
    const me = expectNoErrors(await t.graphql(ME_VERIFIED, {}, { token: account.accessToken })).me;
    expect(me?.email).toBe(account.email);
  });

  it('make the new address the account’s, verified; the old one no longer signs in and is told', async () => {
    const account = await signUp(t);
    const { newEmail, token } = await changeRequested(account);
    const changed = expectNoErrors(await confirm(token)).confirmEmailChange;
    expect(changed).toEqual({ id: account.userId, email: newEmail, emailVerified: true });
    expectNoErrors(await t.graphql(LOGIN, { email: newEmail, password: STRONG_PASSWORD }));
    expectError(await t.graphql(LOGIN, { email: account.email, password: STRONG_PASSWORD }), 'UNAUTHENTICATED');
    await t.settle();
    const notice = await mailbox.next(account.email, /email address was changed/);
    expect(notice.text).toContain(newEmail);
  });

  it('need the current password, and a signed-in caller', async () => {
    const account = await signUp(t);
    expectError(await requestChange(account, uniqueEmail('new'), 'not-the-password-1'), 'BAD_USER_INPUT', {
      field: 'password',
    });
    expectError(
      await t.graphql(REQUEST_EMAIL_CHANGE, { newEmail: uniqueEmail('new'), password: STRONG_PASSWORD }),
      'UNAUTHENTICATED',
    );
  });

  it('refuse the current address and a malformed one', async () => {
    const account = await signUp(t);
    expectError(await requestChange(account, account.email.toUpperCase()), 'BAD_USER_INPUT', { field: 'newEmail' });
    expectError(await requestChange(account, 'no-at-sign'), 'BAD_USER_INPUT', { field: 'newEmail' });
  });

  it('say nothing of a taken address when asked, and answer EMAIL_TAKEN at confirmation', async () => {
    const account = await signUp(t);
    const other = await signUp(t);
    expect(expectNoErrors(await requestChange(account, other.email)).requestEmailChange).toBe(true);
    await t.settle();
    const mail = await mailbox.next(other.email, /Confirm your new email address/);
    expectError(await confirm(tokenFrom(mail, CONFIRM_PATH)), 'EMAIL_TAKEN');
  });

  it('answer EMAIL_TAKEN when someone took the address meanwhile, and keep the link for when it is free', async () => {
    const account = await signUp(t);
    const { newEmail, token } = await changeRequested(account);
    const squatter = await signUp(t, { email: newEmail });
    expectError(await confirm(token), 'EMAIL_TAKEN');
    // The other account moves away: the same link now works.
    const away = await changeRequested(squatter);
    expectNoErrors(await confirm(away.token));
    expect(expectNoErrors(await confirm(token)).confirmEmailChange.email).toBe(newEmail);
  });

  it('let a link work once', async () => {
    const account = await signUp(t);
    const { token } = await changeRequested(account);
    expectNoErrors(await confirm(token));
    expectError(await confirm(token), 'BAD_USER_INPUT', { field: 'token' });
  });

  it('stop a reset link sent to the old address from working', async () => {
    const account = await signUp(t);
    expectNoErrors(await t.graphql(REQUEST_PASSWORD_RESET, { email: account.email }));
    await t.settle();
    const resetMail = await mailbox.next(account.email, /Reset your/);
    const { token } = await changeRequested(account);
    expectNoErrors(await confirm(token));
    const response = await t.graphql(RESET_PASSWORD, {
      token: tokenFrom(resetMail, '/reset-password'),
      newPassword: 'quiet-meadow-compass-97',
    });
    expectError(response, 'BAD_USER_INPUT', { field: 'token' });
  });
});
