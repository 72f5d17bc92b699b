import { describe, expect } from 'vitest';
import {
  type Account,
  logInOver,
  signUpOver,
  codeFrom,
  createTestApp,
  enableTotp,
  expectError,
  expectNoErrors,
  LOGIN,
  ME,
  type Mailbox,
  mailingTo,
  REQUEST_PASSWORD_RESET,
  RESET_PASSWORD,
  SECURE_ACCOUNT,
  type SendOptions,
  SIGN_UP,
  STRONG_PASSWORD,
  sendGraphQL,
  type TestApp,
  tokenFrom,
  uniqueEmail,
  VERIFY_EMAIL,
  VERIFY_SECOND_FACTOR,
} from '../fixtures/index.ts';
import { testWithApp } from '../fixtures/suite.ts';

// A sign-in from a browser or program the account has not used before mails the
// account a notice, so that a stolen password used elsewhere is seen by its owner.
// Sign-ins go over the network, behind a trusted proxy that names the client.

const FIREFOX_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const FIREFOX_WINDOWS_UPDATED = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:134.0) Gecko/20100101 Firefox/134.0';
const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const CHROME_LINUX =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

const NOTICE = /New sign-in to your/;

const it = testWithApp({ TRUST_PROXY: 'loopback' });
let mailbox: Mailbox;
let t: TestApp;
let url: string;
it.beforeAll(async ({ mailingApp, mailbox: box }) => {
  t = mailingApp;
  mailbox = box;
  url = await t.listen();
});

const HOME = '203.0.113.7';
const from = (userAgent: string, ip = HOME) => ({
  headers: { 'user-agent': userAgent },
  forwardedFor: ip,
});

/** Signs an account up over the network from `request`, as its owner's browser at home would. */
const signUpFrom = (request: SendOptions = from(FIREFOX_WINDOWS)) => signUpOver({ t, url }, request);

const logInFrom = (account: Pick<Account, 'email' | 'password'>, request: SendOptions, app = t, at = url) =>
  logInOver({ t: app, url: at }, account, request);

const notices = (account: Pick<Account, 'email'>) =>
  mailbox.to(account.email).filter((mail) => NOTICE.test(mail.subject));

describe('the new sign-in notice', () => {
  it('is mailed for a sign-in from a browser the account has not used, naming it, once', async () => {
    const account = await signUpFrom();
    await logInFrom(account, from(CHROME_LINUX, '198.51.100.23'));
    expect(notices(account)).toHaveLength(1);
    const [notice] = notices(account);
    expect(notice?.text).toContain(
      'from Chrome on Linux, which it had not been used from before on that network, with the password',
    );
    expect(notice?.text).toMatch(/When: \d{4}-\d\d-\d\d \d\d:\d\d UTC\. Address: 198\.51\.100\.23\./);
    expect(notice?.text).toContain('someone has your password');
    expect(notice?.html).toContain('Chrome on Linux');

    // The same browser again, on the same network (another address of its /24), and the sign-up's browser at home.
    await logInFrom(account, from(CHROME_LINUX, '198.51.100.99'));
    await logInFrom(account, from(FIREFOX_WINDOWS));
    expect(notices(account)).toHaveLength(1);
  });

  it('is not mailed for the browser of the sign-up on its network, nor once that browser updates', async () => {
    const account = await signUpFrom();
    await logInFrom(account, from(FIREFOX_WINDOWS, '203.0.113.200'));
    await logInFrom(account, from(FIREFOX_WINDOWS_UPDATED));
    expect(notices(account)).toHaveLength(0);
  });

  it("is mailed for the owner's browser on another network: the user agent is the signer's to choose", async () => {
    const account = await signUpFrom(from(CHROME_WINDOWS));
    // Someone with the password, sending the most common user agent there is, from elsewhere.
    await logInFrom(account, from(CHROME_WINDOWS, '198.51.100.23'));
    expect(notices(account)).toHaveLength(1);
    expect(notices(account)[0]?.text).toContain('from Chrome on Windows, which it had not been used from before');
  });

  it('takes an IPv6 network as its /48', async () => {
    const account = await signUpFrom(from(FIREFOX_WINDOWS, '2001:db8:1:1::10'));
    await logInFrom(account, from(FIREFOX_WINDOWS, '2001:db8:1:ff00::20'));
    expect(notices(account)).toHaveLength(0);
    await logInFrom(account, from(FIREFOX_WINDOWS, '2001:db8:2::10'));
    expect(notices(account)).toHaveLength(1);
  });

  it('knows a browser again whose user agent is longer than a session keeps', async () => {
    const account = await signUpFrom();
    const long = `${CHROME_LINUX} ${'Extension/1.0 '.repeat(60)}`;
    await logInFrom(account, from(long));
    await logInFrom(account, from(long));
    expect(notices(account)).toHaveLength(1);
  });

  it('never quotes the user agent, which the signer chooses', async () => {
    const account = await signUpFrom();
    await logInFrom(account, from('Support notice: call +1 555 0100 or visit https://evil.example/secure'));
    const [notice] = notices(account);
    expect(notice?.text).toContain('from an unknown browser or program, which');
    expect(notice?.text).not.toContain('evil.example');
    expect(notice?.html).not.toContain('evil.example');
  });

  it('names a second factor when the sign-in took one', async () => {
    const account = await signUpFrom();
    const authenticator = await enableTotp(t, account, mailbox);
    const answer = await sendGraphQL(
      url,
      LOGIN,
      { email: account.email, password: account.password },
      from(SAFARI_IPHONE),
    );
    const challenge = String(expectError(answer, 'SECOND_FACTOR_REQUIRED').extensions?.challenge);
    await t.settle();
    expect(notices(account), 'no notice before the second factor').toHaveLength(0);
    expectNoErrors(
      await sendGraphQL(url, VERIFY_SECOND_FACTOR, { challenge, code: authenticator.code() }, from(SAFARI_IPHONE)),
    );
    await t.settle();
    expect(notices(account)[0]?.text).toContain('from Safari on iOS, which');
    expect(notices(account)[0]?.text).toContain('with the password and a second-factor code.');
  });

  it("is not mailed for an account's first session", async () => {
    // With verification required, a sign-up starts no session: the first login is the first.
    const verifying = await createTestApp(
      mailingTo(mailbox, { TRUST_PROXY: 'loopback', REQUIRE_EMAIL_VERIFICATION: 'on' }),
      { mail: 'configured', sharing: t },
    );
    try {
      const account = { email: uniqueEmail('first'), password: STRONG_PASSWORD };
      await verifying.graphql(SIGN_UP, { email: account.email, password: account.password });
      await verifying.settle();
      const code = codeFrom(await mailbox.next(account.email, /Confirm your email address/));
      expectNoErrors(await verifying.graphql(VERIFY_EMAIL, { token: code, email: account.email }));
      const at = await verifying.listen();
      await logInFrom(account, from(CHROME_LINUX), verifying, at);
      expect(notices(account)).toHaveLength(0);
      await logInFrom(account, from(SAFARI_IPHONE), verifying, at);
      expect(notices(account)).toHaveLength(1);
    } finally {
      await verifying.close();
    }
  });

  it('is not mailed with NEW_SIGN_IN_MAIL=off', async () => {
    const quiet = await createTestApp(mailingTo(mailbox, { NEW_SIGN_IN_MAIL: 'off' }), {
      mail: 'configured',
      sharing: t,
    });
    try {
      const email = uniqueEmail('quiet');
      const at = await quiet.listen();
      expectNoErrors(await sendGraphQL(at, SIGN_UP, { email, password: STRONG_PASSWORD }, from(FIREFOX_WINDOWS)));
      const account = { email, password: STRONG_PASSWORD };
      await logInFrom(account, from(CHROME_LINUX), quiet, at);
      expect(notices(account)).toHaveLength(0);
      // The same account signing in through the app that notices does get one.
      await logInFrom(account, from(SAFARI_IPHONE));
      expect(notices(account)).toHaveLength(1);
    } finally {
      await quiet.close();
    }
  });
});

describe("the notice's link, when it was not the owner", () => {
  /** An account someone else has just signed in to from Chrome, and the notice its owner got. */
  async function intruded() {
    const account = await signUpFrom();
    const { login: intruder } = expectNoErrors(
      await sendGraphQL(url, LOGIN, { email: account.email, password: account.password }, from(CHROME_LINUX)),
    );
    await t.settle();
    const [notice] = notices(account);
    if (!notice) throw new Error('no notice');
    return { account, intruder, notice };
  }

  const resetMails = (account: Pick<Account, 'email'>) =>
    mailbox.to(account.email).filter((mail) => /Reset your/.test(mail.subject));

  it('ends every session, locks the password until it is reset, and mails a reset link', async () => {
    const { account, intruder, notice } = await intruded();
    expect(notice.text).toContain('It was not me: secure my account:');
    expect(notice.text).toContain('for 7 days');
    const token = tokenFrom(notice, '/secure-account');
    expect(expectNoErrors(await t.graphql(SECURE_ACCOUNT, { token })).secureAccount).toBe(true);
    await t.settle();

    for (const session of [account, intruder]) {
      expectError(await t.graphql(ME, {}, { token: session.accessToken }), 'UNAUTHENTICATED', {
        reason: 'TOKEN_REVOKED',
      });
    }
    const refused = await t.graphql(LOGIN, { email: account.email, password: account.password });
    expectError(refused, 'FORBIDDEN', { reason: 'PASSWORD_RESET_REQUIRED' });
    expectError(await t.graphql(LOGIN, { email: account.email, password: 'not-the-password-1' }), 'UNAUTHENTICATED');

    const reset = resetMails(account).at(-1);
    if (!reset) throw new Error('no reset mail');
    const newPassword = 'quiet-meadow-compass-97';
    expectNoErrors(await t.graphql(RESET_PASSWORD, { token: tokenFrom(reset, '/reset-password'), newPassword }));
    expectNoErrors(await t.graphql(LOGIN, { email: account.email, password: newPassword }));
    expectError(await t.graphql(LOGIN, { email: account.email, password: account.password }), 'UNAUTHENTICATED');
  });

  it('works once, and with the code of the mail and its address', async () => {
    const { account, notice } = await intruded();
    const code = codeFrom(notice);
    expectError(await t.graphql(SECURE_ACCOUNT, { token: code, email: uniqueEmail('other') }), 'BAD_USER_INPUT', {
      field: 'token',
    });
    expect(expectNoErrors(await t.graphql(SECURE_ACCOUNT, { token: code, email: account.email })).secureAccount).toBe(
      true,
    );
    expectError(await t.graphql(SECURE_ACCOUNT, { token: tokenFrom(notice, '/secure-account') }), 'BAD_USER_INPUT', {
      field: 'token',
    });
  });

  it('is refused for any other token, and for a reset link', async () => {
    const { account } = await intruded();
    expectError(await t.graphql(SECURE_ACCOUNT, { token: 'x'.repeat(43) }), 'BAD_USER_INPUT', { field: 'token' });
    expectNoErrors(await t.graphql(REQUEST_PASSWORD_RESET, { email: account.email }));
    await t.settle();
    const reset = resetMails(account).at(-1);
    if (!reset) throw new Error('no reset mail');
    expectError(await t.graphql(SECURE_ACCOUNT, { token: tokenFrom(reset, '/reset-password') }), 'BAD_USER_INPUT', {
      field: 'token',
    });
    expectNoErrors(await t.graphql(LOGIN, { email: account.email, password: account.password }));
  });
});
