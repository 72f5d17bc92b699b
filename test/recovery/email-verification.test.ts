import { afterAll, beforeAll, describe, expect } from 'vitest';
import {
  createTestApp,
  expectError,
  expectNoErrors,
  LOGIN,
  ME_VERIFIED,
  type Mailbox,
  mailingTo,
  SEND_VERIFICATION_EMAIL,
  SIGN_UP,
  STRONG_PASSWORD,
  signUp,
  type TestApp,
  tokenFrom,
  uniqueEmail,
  VERIFY_EMAIL,
} from '../fixtures/index.ts';
import { test as it } from '../fixtures/suite.ts';

// Email verification end to end, the links read from the mail a real SMTP server received.

const VERIFY_PATH = '/verify-email';

let mailbox: Mailbox;
let t: TestApp;
it.beforeAll(({ mailingApp, mailbox: box }) => {
  t = mailingApp;
  mailbox = box;
});

const verify = (token: string, app = t) => app.graphql(VERIFY_EMAIL, { token });
const verified = async (accessToken: string) =>
  expectNoErrors(await t.graphql(ME_VERIFIED, {}, { token: accessToken })).me?.emailVerified;

/** The token of the newest verification mail to `email`. */
async function latestVerificationToken(email: string): Promise<string> {
  await mailbox.next(email, /Confirm your email address/);
  const mails = mailbox.to(email).filter((mail) => /Confirm your email address/.test(mail.subject));
  const latest = mails.at(-1);
  if (!latest) throw new Error('no verification mail');
  return tokenFrom(latest, VERIFY_PATH);
}

describe('email verification', () => {
  it('starts with signUp: a link arrives, and verifyEmail marks the address verified', async () => {
    const account = await signUp(t);
    expect(await verified(account.accessToken)).toBe(false);
    const mail = await mailbox.next(account.email, /Confirm your email address/);
    expect(mail.text).toContain('1 day');
    expect(expectNoErrors(await verify(tokenFrom(mail, VERIFY_PATH))).verifyEmail).toBe(true);
    expect(await verified(account.accessToken)).toBe(true);
  });

  it('sendVerificationEmail sends a new link, and the earlier ones keep working until one is followed', async () => {
    const account = await signUp(t);
    const first = await latestVerificationToken(account.email);
    expect(
      expectNoErrors(await t.graphql(SEND_VERIFICATION_EMAIL, {}, { token: account.accessToken }))
        .sendVerificationEmail,
    ).toBe(true);
    await t.settle();
    const second = await latestVerificationToken(account.email);
    expect(second).not.toBe(first);
    // A person opens whichever mail comes first to hand.
    expectNoErrors(await verify(first));
    expect(await verified(account.accessToken)).toBe(true);
    // Verified: the other links have nothing left to do.
    expectError(await verify(second), 'BAD_USER_INPUT', { field: 'token' });
  });

  it('keeps at most three links working: a fourth mail retires the oldest', async () => {
    const account = await signUp(t);
    const sent = [await latestVerificationToken(account.email)];
    const limited = await createTestApp(mailingTo(mailbox, { RATE_LIMIT_MAIL_ADDRESS: '10/1h' }), {
      sharing: t,
      mail: 'configured',
    });
    try {
      for (let i = 0; i < 3; i++) {
        expectNoErrors(await limited.graphql(SEND_VERIFICATION_EMAIL, {}, { token: account.accessToken }));
        await limited.settle();
        sent.push(await latestVerificationToken(account.email));
      }
    } finally {
      await limited.close();
    }
    expect(new Set(sent).size).toBe(4);
    expectError(await verify(sent[0] ?? ''), 'BAD_USER_INPUT', { field: 'token' });
    expectNoErrors(await verify(sent[1] ?? ''));
  });

  it('sendVerificationEmail answers false once the address is verified, and sends nothing', async () => {
    const account = await signUp(t);
    expectNoErrors(await verify(await latestVerificationToken(account.email)));
    const before = mailbox.to(account.email).length;
    const response = await t.graphql(SEND_VERIFICATION_EMAIL, {}, { token: account.accessToken });
    expect(expectNoErrors(response).sendVerificationEmail).toBe(false);
    await t.settle();
    expect(mailbox.to(account.email)).toHaveLength(before);
  });

  it('sendVerificationEmail needs a signed-in caller', async () => {
    expectError(await t.graphql(SEND_VERIFICATION_EMAIL), 'UNAUTHENTICATED');
  });

  it('lets a link work once, and not past EMAIL_VERIFICATION_TTL', async () => {
    const once = await signUp(t);
    const token = await latestVerificationToken(once.email);
    expectNoErrors(await verify(token));
    expectError(await verify(token), 'BAD_USER_INPUT', { field: 'token' });

    const late = await signUp(t);
    const lateToken = await latestVerificationToken(late.email);
    t.clock.advance(24 * 3600 + 1);
    expectError(await verify(lateToken), 'BAD_USER_INPUT', { field: 'token' });
    const again = expectNoErrors(await t.graphql(LOGIN, { email: late.email, password: late.password })).login;
    expect(await verified(again.accessToken)).toBe(false);
  });

  it('gives one success to two uses racing with one link', async () => {
    const account = await signUp(t);
    const token = await latestVerificationToken(account.email);
    const outcomes = (await Promise.all([verify(token), verify(token)]))
      .map((response) => response.body.errors?.[0]?.extensions?.code ?? 'OK')
      .sort();
    expect(outcomes).toEqual(['BAD_USER_INPUT', 'OK']);
  });
});

describe('with REQUIRE_EMAIL_VERIFICATION=on', () => {
  let strict: TestApp;
  beforeAll(async () => {
    strict = await createTestApp(mailingTo(mailbox, { REQUIRE_EMAIL_VERIFICATION: 'on' }), {
      sharing: t,
      mail: 'configured',
    });
  });
  afterAll(() => strict?.close());

  const login = (email: string, password = STRONG_PASSWORD) => strict.graphql(LOGIN, { email, password });

  it('signUp makes the account and mails the link, but signs nobody in: FORBIDDEN, EMAIL_NOT_VERIFIED', async () => {
    const email = uniqueEmail('strict');
    const response = await strict.graphql(SIGN_UP, { email, password: STRONG_PASSWORD });
    expectError(response, 'FORBIDDEN', 'EMAIL_NOT_VERIFIED');
    expect(response.body.data ?? null).toBeNull();
    await strict.settle();
    expect(await strict.services.prisma.user.count({ where: { email } })).toBe(1);
    expect(await strict.services.prisma.session.count({ where: { user: { email } } })).toBe(0);
    expect(await latestVerificationToken(email)).toEqual(expect.any(String));
  });

  it('refuses login with the right password until the address is verified, then lets it in', async () => {
    const email = uniqueEmail('strict');
    await strict.graphql(SIGN_UP, { email, password: STRONG_PASSWORD });
    await strict.settle();
    expectError(await login(email), 'FORBIDDEN', 'EMAIL_NOT_VERIFIED');
    // A wrong password says nothing about verification.
    const wrong = expectError(await login(email, 'not-the-password-1'), 'UNAUTHENTICATED');
    expect(wrong.extensions?.reason).toBeUndefined();
    // The refused login mailed a new link: either works.
    await strict.settle();
    const links = mailbox.to(email).filter((mail) => /Confirm your email address/.test(mail.subject));
    expect(links).toHaveLength(2);
    expectNoErrors(await verify(await latestVerificationToken(email), strict));
    expect(expectNoErrors(await login(email)).login.user.email).toBe(email);
  });

  it("keeps the sign-up's link working after a login tried before it was followed", async () => {
    const email = uniqueEmail('strict');
    await strict.graphql(SIGN_UP, { email, password: STRONG_PASSWORD });
    await strict.settle();
    const [signUpMail] = mailbox.to(email).filter((mail) => /Confirm your email address/.test(mail.subject));
    if (!signUpMail) throw new Error('no verification mail at sign-up');
    // The person tries to log in first; the refusal mails a second link.
    expectError(await login(email), 'FORBIDDEN', 'EMAIL_NOT_VERIFIED');
    await strict.settle();
    expect(mailbox.to(email).filter((mail) => /Confirm your email address/.test(mail.subject))).toHaveLength(2);
    // Then opens the first mail.
    expectNoErrors(await verify(tokenFrom(signUpMail, VERIFY_PATH), strict));
    expect(expectNoErrors(await login(email)).login.user.email).toBe(email);
  });
});
