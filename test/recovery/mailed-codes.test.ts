import { describe, expect } from 'vitest';
import {
  type Account,
  CONFIRM_EMAIL_CHANGE,
  codeFrom,
  expectError,
  expectNoErrors,
  LOGIN,
  ME_VERIFIED,
  type Mailbox,
  REQUEST_EMAIL_CHANGE,
  REQUEST_PASSWORD_RESET,
  RESET_PASSWORD,
  signUp,
  type TestApp,
  tokenFrom,
  uniqueEmail,
  VERIFY_EMAIL,
} from '../fixtures/index.ts';
import { test as it } from '../fixtures/suite.ts';

// The code each mail shows beside its link, for a person who reads the mail on
// another device: typed with the address the mail went to, it does what the
// link does, once, and a token takes five codes at most, right or wrong.

const NEW_PASSWORD = 'quiet-meadow-compass-97';

let mailbox: Mailbox;
let t: TestApp;
it.beforeAll(({ mailingApp, mailbox: box }) => {
  t = mailingApp;
  mailbox = box;
});

/** Asks for a reset of `account`'s password; returns the mail that arrives. */
async function resetMail(account: Pick<Account, 'email'>) {
  const resetMails = () => mailbox.to(account.email).filter((mail) => /Reset your/.test(mail.subject));
  const before = resetMails().length;
  expectNoErrors(await t.graphql(REQUEST_PASSWORD_RESET, { email: account.email }));
  await t.settle();
  const latest = resetMails().at(-1);
  expect(resetMails().length, 'a reset mail arrived').toBe(before + 1);
  if (!latest) throw new Error('no reset mail');
  return latest;
}

const resetWithCode = (code: string, email: string, newPassword = NEW_PASSWORD) =>
  t.graphql(RESET_PASSWORD, { token: code, email, newPassword });
const login = (email: string, password: string) => t.graphql(LOGIN, { email, password });

/** A code of eight digits that is not `code`. */
const otherCode = (code: string, n = 1) => String((Number(code.replace(' ', '')) + n) % 100_000_000).padStart(8, '0');

function expectInvalid(response: Awaited<ReturnType<typeof resetWithCode>>) {
  const error = expectError(response, 'BAD_USER_INPUT', { field: 'token' });
  expect(error.message).toBe('This link or code is not valid any more; ask for a new one.');
}

describe('the code beside a mailed link', () => {
  it('is shown in the text and the HTML of the mail, beside the link', async () => {
    const account = await signUp(t);
    const mail = await resetMail(account);
    const code = codeFrom(mail);
    expect(code).toMatch(/^\d{4} \d{4}$/);
    expect(mail.html).toContain(code);
    expect(mail.text).toContain('The link and the code below work once');
  });

  it('resets the password with the address the mail went to; the link of that mail is then used up', async () => {
    const account = await signUp(t);
    const mail = await resetMail(account);
    expect(expectNoErrors(await resetWithCode(codeFrom(mail), account.email.toUpperCase())).resetPassword).toBe(true);
    expectNoErrors(await login(account.email, NEW_PASSWORD));
    expectError(await login(account.email, account.password), 'UNAUTHENTICATED');
    expectInvalid(await t.graphql(RESET_PASSWORD, { token: tokenFrom(mail, '/reset-password'), newPassword: 'x' }));
    expectInvalid(await resetWithCode(codeFrom(mail), account.email, 'another-quiet-meadow-31'));
  });

  it('is taken with spaces or dashes, or none', async () => {
    for (const shape of [
      (c: string) => c.replace(' ', ''),
      (c: string) => c.replace(' ', '-'),
      (c: string) => ` ${c} `,
    ]) {
      const account = await signUp(t);
      const code = codeFrom(await resetMail(account));
      expect(expectNoErrors(await resetWithCode(shape(code), account.email)).resetPassword).toBe(true);
    }
  });

  it('works only with the address it was mailed to', async () => {
    const account = await signUp(t);
    const other = await signUp(t);
    const code = codeFrom(await resetMail(account));
    expectInvalid(await resetWithCode(code, other.email));
    expectInvalid(await resetWithCode(code, uniqueEmail('nobody')));
    expect(expectNoErrors(await resetWithCode(code, account.email)).resetPassword).toBe(true);
  });

  it('is refused when it cannot be a code, and a malformed address is named', async () => {
    const account = await signUp(t);
    await resetMail(account);
    for (const code of ['', '1234567', '123456789', 'abcd efgh', '1234 567x']) {
      expectInvalid(await resetWithCode(code, account.email));
    }
    expectError(await resetWithCode('1234 5678', 'not an address'), 'BAD_USER_INPUT', { field: 'email' });
  });

  it('takes five tries per mail, right or wrong; the link keeps working after', async () => {
    const account = await signUp(t);
    const mail = await resetMail(account);
    const code = codeFrom(mail);
    for (let n = 1; n <= 5; n++) expectInvalid(await resetWithCode(otherCode(code, n), account.email));
    expectInvalid(await resetWithCode(code, account.email));
    const token = tokenFrom(mail, '/reset-password');
    expect(expectNoErrors(await t.graphql(RESET_PASSWORD, { token, newPassword: NEW_PASSWORD })).resetPassword).toBe(
      true,
    );
  });

  it('refuses the right code after twelve wrong ones sent together', async () => {
    const account = await signUp(t);
    const code = codeFrom(await resetMail(account));
    const guesses = await Promise.all(
      Array.from({ length: 12 }, (_, n) => resetWithCode(otherCode(code, n + 1), account.email)),
    );
    for (const guess of guesses) expectInvalid(guess);
    expectInvalid(await resetWithCode(code, account.email));
  });

  it('gives one success to two requests racing with one code', async () => {
    const account = await signUp(t);
    const code = codeFrom(await resetMail(account));
    const answers = await Promise.all([resetWithCode(code, account.email), resetWithCode(code, account.email)]);
    const outcomes = answers.map((response) => response.body.errors?.[0]?.extensions?.code ?? 'OK').sort();
    expect(outcomes).toEqual(['BAD_USER_INPUT', 'OK']);
  });

  it('stops working when a newer mail is sent, and when it expires', async () => {
    const account = await signUp(t);
    const first = codeFrom(await resetMail(account));
    const second = codeFrom(await resetMail(account));
    if (first !== second) expectInvalid(await resetWithCode(first, account.email));
    t.clock.advance(30 * 60 + 1);
    expectInvalid(await resetWithCode(second, account.email));
  });

  it('keeps the token when the new password is refused, spending one try', async () => {
    const account = await signUp(t);
    const code = codeFrom(await resetMail(account));
    expectError(await resetWithCode(code, account.email, 'short'), 'BAD_USER_INPUT', { field: 'newPassword' });
    expect(expectNoErrors(await resetWithCode(code, account.email)).resetPassword).toBe(true);
  });

  it('verifies an address, typed with it', async () => {
    const account = await signUp(t);
    const mail = await mailbox.next(account.email, /Confirm your email address/);
    const code = codeFrom(mail);
    expectError(await t.graphql(VERIFY_EMAIL, { token: code, email: uniqueEmail('other') }), 'BAD_USER_INPUT', {
      field: 'token',
    });
    expect(expectNoErrors(await t.graphql(VERIFY_EMAIL, { token: code, email: account.email })).verifyEmail).toBe(true);
    const me = expectNoErrors(await t.graphql(ME_VERIFIED, {}, { token: account.accessToken })).me;
    expect(me?.emailVerified).toBe(true);
  });

  it('confirms an email change, typed with the new address', async () => {
    const account = await signUp(t);
    const newEmail = uniqueEmail('moved');
    expectNoErrors(
      await t.graphql(REQUEST_EMAIL_CHANGE, { newEmail, password: account.password }, { token: account.accessToken }),
    );
    await t.settle();
    const code = codeFrom(await mailbox.next(newEmail, /Confirm your new email address/));
    expectError(await t.graphql(CONFIRM_EMAIL_CHANGE, { token: code, email: account.email }), 'BAD_USER_INPUT', {
      field: 'token',
    });
    const changed = expectNoErrors(await t.graphql(CONFIRM_EMAIL_CHANGE, { token: code, email: newEmail }));
    expect(changed.confirmEmailChange).toMatchObject({ email: newEmail, emailVerified: true });
  });
});
