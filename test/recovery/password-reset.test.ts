import { afterAll, beforeAll, describe, expect } from 'vitest';
import {
  type Account,
  createTestApp,
  expectError,
  expectNoErrors,
  LOGIN,
  ME,
  type Mailbox,
  mailingTo,
  REQUEST_PASSWORD_RESET,
  RESET_PASSWORD,
  SET_USER_DISABLED,
  signUpAdmin,
  signUp,
  type TestApp,
  tokenFrom,
  uniqueEmail,
  VERIFY_EMAIL,
} from '../fixtures/index.ts';
import { testWithApp } from '../fixtures/suite.ts';

// Password reset end to end: HTTP requests to the service, and the links read
// from the mail a real SMTP server received.

const NEW_PASSWORD = 'quiet-meadow-compass-97';
const RESET_PATH = '/reset-password';

const it = testWithApp({ APP_NAME: 'Acme' });
let mailbox: Mailbox;
let t: TestApp;
it.beforeAll(({ mailingApp, mailbox: box }) => {
  t = mailingApp;
  mailbox = box;
});

const request = (email: string, app = t) => app.graphql(REQUEST_PASSWORD_RESET, { email });
const reset = (token: string, newPassword = NEW_PASSWORD, app = t) =>
  app.graphql(RESET_PASSWORD, { token, newPassword });
const login = (email: string, password: string) => t.graphql(LOGIN, { email, password });

/** Asks for a reset of `account` and returns the token of the link that arrives. */
async function resetTokenFor(account: Pick<Account, 'email'>, app = t): Promise<string> {
  const before = mailbox.to(account.email).length;
  expect(expectNoErrors(await request(account.email, app)).requestPasswordReset).toBe(true);
  await app.settle();
  const mails = mailbox.to(account.email).filter((mail) => /Reset your/.test(mail.subject));
  expect(mails.length, 'a reset mail arrived').toBeGreaterThan(0);
  expect(mailbox.to(account.email).length).toBeGreaterThan(before);
  const latest = mails.at(-1);
  if (!latest) throw new Error('no reset mail');
  return tokenFrom(latest, RESET_PATH);
}

function expectInvalidToken(response: Awaited<ReturnType<typeof reset>>) {
  const error = expectError(response, 'BAD_USER_INPUT', { field: 'token' });
  expect(error.message).toBe('This link or code is not valid any more; ask for a new one.');
}

describe('requestPasswordReset and resetPassword', () => {
  it('mail a link; its token sets the new password, and the old one stops working', async () => {
    const account = await signUp(t);
    const token = await resetTokenFor(account);
    expect(expectNoErrors(await reset(token)).resetPassword).toBe(true);
    expectNoErrors(await login(account.email, NEW_PASSWORD));
    expectError(await login(account.email, account.password), 'UNAUTHENTICATED');
  });

  it('send the mail in plain text and HTML, with the product name and the link template', async () => {
    const url = await t.listen();
    const account = await signUp(t);
    await resetTokenFor(account);
    const mail = await mailbox.next(account.email, /Reset your Acme password/);
    expect(mail.from).toMatch(/^"?Tollgate"? <no-reply@localhost>$/);
    // No APP_URL: the link opens the service's own page, where it listens.
    const page = `${new URL(url).origin}/account/reset-password?token=`;
    expect(mail.text).toContain(page);
    expect(mail.text).toContain('30 minutes');
    expect(mail.html).toContain(`<a href="${page}`);
  });

  it('end every session of the account and sign nobody in', async () => {
    const account = await signUp(t);
    const token = await resetTokenFor(account);
    const response = await reset(token);
    expect(response.body).toEqual({ data: { resetPassword: true } });
    expectError(await t.graphql(ME, {}, { token: account.accessToken }), 'UNAUTHENTICATED', 'TOKEN_REVOKED');
    const sessions = await t.services.prisma.session.count({ where: { userId: account.userId, revokedAt: null } });
    expect(sessions).toBe(0);
  });

  it('send a notice that the password was reset', async () => {
    const account = await signUp(t);
    expectNoErrors(await reset(await resetTokenFor(account)));
    await t.settle();
    const notice = await mailbox.next(account.email, /password was changed/);
    expect(notice.text).toContain('reset');
  });

  it('let a token work once', async () => {
    const account = await signUp(t);
    const token = await resetTokenFor(account);
    expectNoErrors(await reset(token));
    expectInvalidToken(await reset(token, 'another-quiet-meadow-98'));
  });

  it('let only the newest link work', async () => {
    const account = await signUp(t);
    const first = await resetTokenFor(account);
    const second = await resetTokenFor(account);
    expect(second).not.toBe(first);
    expectInvalidToken(await reset(first));
    expectNoErrors(await reset(second));
  });

  it('keep the token when the new password is refused', async () => {
    const account = await signUp(t);
    const token = await resetTokenFor(account);
    expectError(await reset(token, 'password'), 'BAD_USER_INPUT', { field: 'newPassword' });
    expectError(await reset(token, account.email), 'BAD_USER_INPUT', { field: 'newPassword' });
    expectNoErrors(await reset(token));
  });

  it('refuse a token past PASSWORD_RESET_TTL', async () => {
    const account = await signUp(t);
    const token = await resetTokenFor(account);
    t.clock.advance(30 * 60 + 1);
    expectInvalidToken(await reset(token));
    expectNoErrors(await login(account.email, account.password));
  });

  it('refuse a token of another purpose, and give a reset token no other use', async () => {
    const account = await signUp(t);
    // signUp mailed a verification link: it does not reset a password.
    const verification = await mailbox.next(account.email, /Confirm your email address/);
    expectInvalidToken(await reset(tokenFrom(verification, '/verify-email')));
    const token = await resetTokenFor(account);
    expectError(await t.graphql(VERIFY_EMAIL, { token }), 'BAD_USER_INPUT', { field: 'token' });
    expectNoErrors(await reset(token));
  });

  it('refuse an unknown or malformed token with the same answer', async () => {
    for (const token of ['', 'x', 'a'.repeat(43), 'not a token at all', 'a'.repeat(200)]) {
      expectInvalidToken(await reset(token));
    }
  });

  it('give one success to two resets racing with one token', async () => {
    const account = await signUp(t);
    const token = await resetTokenFor(account);
    const [a, b] = await Promise.all([reset(token), reset(token, 'another-quiet-meadow-98')]);
    const outcomes = [a, b].map((response) => response.body.errors?.[0]?.extensions?.code ?? 'OK').sort();
    expect(outcomes).toEqual(['BAD_USER_INPUT', 'OK']);
  });

  it('answer an unknown email the same as a registered one, and send it nothing', async () => {
    const account = await signUp(t);
    const unknown = uniqueEmail('nobody');
    const [registered, stranger] = await Promise.all([request(account.email), request(unknown)]);
    const comparable = (response: typeof registered) => ({
      status: response.status,
      body: response.body,
      headers: [...response.headers].filter(([name]) => !['date', 'x-request-id'].includes(name)),
    });
    expect(comparable(stranger)).toEqual(comparable(registered));
    await t.settle();
    expect(mailbox.to(unknown)).toEqual([]);
    const audited = await t.services.prisma.authEvent.count({
      where: { type: 'PASSWORD_RESET_REQUESTED', userId: null },
    });
    expect(audited).toBeGreaterThan(0);
  });

  it('refuse a malformed email with BAD_USER_INPUT', async () => {
    expectError(await request('not-an-email'), 'BAD_USER_INPUT', { field: 'email' });
  });

  it('send a disabled account no link', async () => {
    const account = await signUp(t);
    const admin = await signUpAdmin(t);
    expectNoErrors(
      await t.graphql(SET_USER_DISABLED, { userId: account.userId, disabled: true }, { token: admin.accessToken }),
    );
    expectNoErrors(await request(account.email));
    await t.settle();
    expect(mailbox.to(account.email).filter((mail) => /Reset your/.test(mail.subject))).toEqual([]);
  });

  it('write no token, link or password to the log', async () => {
    const account = await signUp(t);
    const token = await resetTokenFor(account);
    expectNoErrors(await reset(token));
    const log = t.logText();
    expect(log).not.toContain(token);
    expect(log).not.toContain(encodeURIComponent(token));
    expect(log).not.toContain(RESET_PATH);
    expect(log).not.toContain(NEW_PASSWORD);
  });
});

describe('limits on reset mail', () => {
  let limited: TestApp;
  beforeAll(async () => {
    limited = await createTestApp(mailingTo(mailbox, { RATE_LIMIT: 'on', RATE_LIMIT_MAIL_IP: '6/1h' }), {
      sharing: t,
      mail: 'configured',
    });
  });
  afterAll(() => limited?.close());

  it('send one address at most 3 a hour, and still answer true to the 4th, silently', async () => {
    const account = await signUp(t);
    for (let i = 0; i < 4; i++) {
      expect(expectNoErrors(await request(account.email, limited)).requestPasswordReset).toBe(true);
    }
    await limited.settle();
    expect(mailbox.to(account.email).filter((mail) => /Reset your/.test(mail.subject))).toHaveLength(3);
  });

  it.each([
    { what: 'its +tags', spellings: (base: string) => [1, 2, 3, 4].map((n) => `${base}+${n}@example.com`) },
    {
      what: "Gmail's dots and its other domain",
      spellings: (base: string) => {
        const dotted = [...base].join('.');
        return [`${base}@gmail.com`, `${dotted}@gmail.com`, `${base}+x@googlemail.com`, `${dotted}+y@gmail.com`];
      },
    },
  ])('count one mailbox under all $what: 3 mails a hour between them', async ({ spellings }) => {
    const base =
      uniqueEmail('box')
        .split('@')[0]
        ?.replace(/[^a-z0-9]/g, '') ?? '';
    const addresses = spellings(base);
    for (const email of addresses) await signUp(t, { email });
    const own = await createTestApp(mailingTo(mailbox, { RATE_LIMIT: 'on', RATE_LIMIT_MAIL_IP: '50/1h' }), {
      sharing: t,
      mail: 'configured',
    });
    try {
      for (const email of addresses) expectNoErrors(await request(email, own));
      await own.settle();
    } finally {
      await own.close();
    }
    const resets = addresses.flatMap((email) => mailbox.to(email)).filter((mail) => /Reset your/.test(mail.subject));
    expect(resets).toHaveLength(3);
  });

  it('answer the requests of one client past its limit with RATE_LIMITED, 429 and Retry-After', async () => {
    // The in-process requests share one client address; the previous test used 4 of its 6.
    expectNoErrors(await request(uniqueEmail('limit'), limited));
    expectNoErrors(await request(uniqueEmail('limit'), limited));
    const refused = await request(uniqueEmail('limit'), limited);
    expectError(refused, 'RATE_LIMITED');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
