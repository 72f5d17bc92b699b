import { describe, expect } from 'vitest';
import {
  type Account,
  logInOver,
  signUpOver,
  addPasskey,
  CONFIRM_EMAIL_CHANGE,
  CONFIRM_TOTP,
  enableTotp,
  expectError,
  expectNoErrors,
  LOGIN,
  logInWithPasskey,
  type Mailbox,
  ME,
  ME_SECOND_FACTOR,
  mailingTo,
  newAuthenticator,
  passkeyRegistrationOptions,
  REFRESH,
  REQUEST_EMAIL_CHANGE,
  REQUEST_PASSWORD_RESET,
  RESET_PASSWORD,
  type ReceivedMail,
  REVOKE_USER_SESSIONS,
  SECURE_ACCOUNT,
  SET_UP_TOTP,
  SET_USER_DISABLED,
  type SendOptions,
  SIGN_UP,
  STRONG_PASSWORD,
  sendGraphQL,
  signUpAdmin,
  stepUpWithPasskey,
  type TestApp,
  createTestApp,
  tokenFrom,
  totpCode,
  uniqueEmail,
  verifyAddress,
} from '../fixtures/index.ts';
import { testWithApp } from '../fixtures/suite.ts';

// "It was not me": what the owner of an account does with the link of a notice
// (a new sign-in, a new passkey or authenticator app, a changed password or
// address), told as the thief and the owner would live it. The thief has what
// was stolen (an access token, the password, or both) and a mailbox of their
// own; the owner has their mailbox. Requests go over the network, behind a
// trusted proxy that names the client, so each side has a device of its own.

const HOME = { headers: { 'user-agent': firefoxOnWindows() }, forwardedFor: '203.0.113.7' };
const THIEF = {
  headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0.0.0 Safari/537.36' },
  forwardedFor: '198.51.100.23',
};
const THIEF_ELSEWHERE = { ...THIEF, forwardedFor: '192.0.2.44' };
const NEW_PASSWORD = 'quiet-meadow-compass-97';

function firefoxOnWindows() {
  return 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
}

const it = testWithApp({ TRUST_PROXY: 'loopback' });
let mailbox: Mailbox;
let t: TestApp;
let url: string;
it.beforeAll(async ({ mailingApp, mailbox: box }) => {
  t = mailingApp;
  mailbox = box;
  url = await t.listen();
});

/** The owner signs up at home and verifies the address: what a person who uses the account does. */
async function owner(): Promise<Account> {
  const account = await signUpOver({ t, url }, HOME, uniqueEmail('owner'));
  await verifyAddress(t, account, mailbox);
  // Time passes between what the owner did and what the thief does (within the access token's life).
  t.clock.advance(120);
  return account;
}

const logInFrom = (account: Pick<Account, 'email' | 'password'>, request: SendOptions, app = { t, url }) =>
  logInOver(app, account, request);

/** The thief, signed in, asks to move the account to a mailbox of theirs: that mailbox, and the link it got. */
async function askToMoveAddress(thief: Account): Promise<{ thiefMailbox: string; link: string }> {
  const thiefMailbox = uniqueEmail('thief');
  expectNoErrors(
    await t.graphql(
      REQUEST_EMAIL_CHANGE,
      { newEmail: thiefMailbox, password: thief.password },
      { token: thief.accessToken },
    ),
  );
  await t.settle();
  return { thiefMailbox, link: tokenFrom(latest(thiefMailbox, /Confirm your new email/), '/confirm-email-change') };
}

/** …and follows that link: the account's address is the thief's. */
async function moveAddress(thief: Account): Promise<string> {
  const { thiefMailbox, link } = await askToMoveAddress(thief);
  expectNoErrors(await t.graphql(CONFIRM_EMAIL_CHANGE, { token: link }));
  await t.settle();
  return thiefMailbox;
}

const mailsTo = (email: string, subject: RegExp) => mailbox.to(email).filter((mail) => subject.test(mail.subject));

function latest(email: string, subject: RegExp): ReceivedMail {
  const mail = mailsTo(email, subject).at(-1);
  if (!mail) throw new Error(`no mail to ${email} matching ${subject}`);
  return mail;
}

const linkOf = (mail: ReceivedMail) => tokenFrom(mail, '/secure-account');
/** Follows a notice's link, with the password the owner knows when a second factor is to go. */
const secure = async (mail: ReceivedMail, password?: string) => {
  const response = await t.graphql(SECURE_ACCOUNT, { token: linkOf(mail), password });
  expect(expectNoErrors(response).secureAccount).toBe(true);
  await t.settle();
};

/** Resets the password with the newest reset link mailed to `email`, as its owner. */
const resetWithMail = async (email: string, code?: string) =>
  t.graphql(RESET_PASSWORD, {
    token: tokenFrom(latest(email, /Reset your/), '/reset-password'),
    newPassword: NEW_PASSWORD,
    code,
  });

const NEW_SIGN_IN = /New sign-in to your/;

describe('the whole story: a stolen access token and password, then "it was not me"', () => {
  it('leaves the thief no session, no passkey, no second factor, no pending change and no link that works', async () => {
    const account = await owner();
    const stolen = account.accessToken;

    // The access token alone adds no way in: every new one asks for the password.
    const tokenOnly = { token: stolen };
    expectError(
      await passkeyRegistrationOptions(t, { accessToken: stolen, password: 'a guess at it, 1' }),
      'BAD_USER_INPUT',
      {
        field: 'password',
      },
    );
    expectError(await t.graphql(SET_UP_TOTP, { password: 'a guess at it, 1' }, tokenOnly), 'BAD_USER_INPUT', {
      field: 'password',
    });
    const thiefMailbox = uniqueEmail('thief');
    expectError(
      await t.graphql(REQUEST_EMAIL_CHANGE, { newEmail: thiefMailbox, password: 'a guess at it, 1' }, tokenOnly),
      'BAD_USER_INPUT',
      { field: 'password' },
    );

    // With the password, the thief signs in elsewhere (the owner is told), then once more from
    // another network (told again: the first notice's link keeps working), and settles in.
    const thief = await logInFrom(account, THIEF);
    t.clock.advance(60);
    const again = await logInFrom(account, THIEF_ELSEWHERE);
    const thiefKey = newAuthenticator();
    await addPasskey(t, thief, thiefKey, { name: 'Definitely mine' });
    t.clock.advance(60);
    expectNoErrors(await stepUpWithPasskey(t, thief.accessToken, thiefKey));
    const { setUpTotp } = expectNoErrors(
      await t.graphql(SET_UP_TOTP, { password: account.password }, { token: thief.accessToken }),
    );
    expectNoErrors(
      await t.graphql(CONFIRM_TOTP, { code: totpCode(setUpTotp.secret, t.clock.now()) }, { token: thief.accessToken }),
    );
    const { link: changeLink } = await askToMoveAddress(thief);
    t.clock.advance(60);

    // The owner reads the first notice, and follows its link. A passkey and an app were added
    // since, so the page asks for the password too (the thief has it, but not the mail).
    const [firstNotice, secondNotice] = mailsTo(account.email, NEW_SIGN_IN);
    expect(secondNotice).toBeDefined();
    if (!firstNotice) throw new Error('no notice');
    const followed = (password?: string) => t.graphql(SECURE_ACCOUNT, { token: linkOf(firstNotice), password });
    expectError(await followed(), 'BAD_USER_INPUT', { field: 'password' });
    expectError(await followed('a guess at it, 1'), 'BAD_USER_INPUT', { field: 'password' });
    expectNoErrors(await t.graphql(ME, {}, { token: thief.accessToken }));
    await secure(firstNotice, account.password);

    // Every session ends: the stolen token, the thief's sessions, their refresh tokens.
    for (const token of [stolen, thief.accessToken, again.accessToken]) {
      expectError(await t.graphql(ME, {}, { token }), 'UNAUTHENTICATED', 'TOKEN_REVOKED');
    }
    for (const refreshToken of [account.refreshToken, thief.refreshToken, again.refreshToken]) {
      expectError(await t.graphql(REFRESH, { refreshToken }), 'UNAUTHENTICATED');
    }
    // The thief's passkey signs in no more, and the password is locked.
    expectError(await logInWithPasskey(t, thiefKey), 'UNAUTHENTICATED');
    expectError(
      await t.graphql(LOGIN, { email: account.email, password: account.password }),
      'FORBIDDEN',
      'PASSWORD_RESET_REQUIRED',
    );
    // The email change waiting in the thief's mailbox is void, and so is the other notice's link.
    expectError(await t.graphql(CONFIRM_EMAIL_CHANGE, { token: changeLink }), 'BAD_USER_INPUT', { field: 'token' });
    if (!secondNotice) throw new Error('no second notice');
    expectError(await t.graphql(SECURE_ACCOUNT, { token: linkOf(secondNotice) }), 'BAD_USER_INPUT', { field: 'token' });

    // The owner is told what was undone, and takes the account back with the reset link: no
    // second factor of the thief's stands in the way.
    const summary = latest(account.email, /is secured/);
    expect(summary.text).toContain(
      'Added since then, and now removed: the authenticator app, with its recovery codes; the passkey "Definitely mine".',
    );
    expectNoErrors(await resetWithMail(account.email));
    const back = await logInFrom({ email: account.email, password: NEW_PASSWORD }, HOME);
    expect(expectNoErrors(await t.graphql(ME_SECOND_FACTOR, {}, { token: back.accessToken })).me?.secondFactor).toBe(
      false,
    );
    expect(await t.services.prisma.passkey.count({ where: { userId: account.userId } })).toBe(0);
    expect(await t.services.prisma.totpFactor.count({ where: { userId: account.userId } })).toBe(0);
    // The account kept its address; the old password signs nobody in.
    expect(expectNoErrors(await t.graphql(ME, {}, { token: back.accessToken })).me?.email).toBe(account.email);
    expectError(await t.graphql(LOGIN, { email: account.email, password: account.password }), 'UNAUTHENTICATED');
    const event = await t.services.prisma.authEvent.findFirst({
      where: { userId: account.userId, type: 'ACCOUNT_SECURED' },
    });
    expect(event?.detail).toMatchObject({ sessions: 3, factorsRemoved: 2 });
  });
});

describe('"it was not me"', () => {
  it('takes no second factor from someone who reads the mail without the password', async () => {
    const account = await owner();
    const app = await enableTotp(t, account, mailbox);
    await t.settle();
    t.clock.advance(60);
    // Someone reading the owner's mail follows the link of the app's own notice.
    const notice = latest(account.email, /sign-in settings changed/);
    expect(notice.text).toContain('Two-step sign-in was turned on');
    const guess = (password?: string) => t.graphql(SECURE_ACCOUNT, { token: linkOf(notice), password });
    expectError(await guess(), 'BAD_USER_INPUT', { field: 'password' });
    expectError(await guess('a guess at it, 1'), 'BAD_USER_INPUT', { field: 'password' });
    // Nothing changed: the app stays, the owner's session lives, and a reset takes the app's code.
    expect(await t.services.prisma.totpFactor.count({ where: { userId: account.userId } })).toBe(1);
    expectNoErrors(await t.graphql(ME, {}, { token: account.accessToken }));
    expectNoErrors(await t.graphql(REQUEST_PASSWORD_RESET, { email: account.email }));
    await t.settle();
    expectError(await resetWithMail(account.email), 'SECOND_FACTOR_REQUIRED');
    expectNoErrors(await resetWithMail(account.email, app.code()));
  });

  it('keeps the second factors from before the week its links tell of', async () => {
    const account = await owner();
    const app = await enableTotp(t, account, mailbox);
    // Past the week of the app's own notice: the app is older than anything a link can undo.
    t.clock.advance(8 * 86400);
    const refreshed = expectNoErrors(await t.graphql(REFRESH, { refreshToken: account.refreshToken })).refresh;
    // A thief with the stolen token and the password adds a passkey; the app was there before.
    const stale = { ...account, accessToken: refreshed.accessToken };
    await addPasskey(t, stale, newAuthenticator(), { code: app.code() });
    t.clock.advance(60);
    await secure(latest(account.email, /passkeys changed/), account.password);
    expect(await t.services.prisma.passkey.count({ where: { userId: account.userId } })).toBe(0);
    expect(await t.services.prisma.totpFactor.count({ where: { userId: account.userId } })).toBe(1);
    expectError(await resetWithMail(account.email), 'SECOND_FACTOR_REQUIRED');
  });

  it('takes back a passkey a thief added with a stolen token and the password, never signing in', async () => {
    const account = await owner();
    // No sign-in, so no sign-in notice: the passkey's own notice carries the link.
    await addPasskey(t, account, newAuthenticator(), { name: 'Not mine' });
    const notice = latest(account.email, /passkeys changed/);
    expect(notice.text).toContain('A passkey named "Not mine" was added');
    expect(notice.text).toContain('It was not me: secure my account:');
    t.clock.advance(60);
    await secure(notice, account.password);
    expect(await t.services.prisma.passkey.count({ where: { userId: account.userId } })).toBe(0);
    expectNoErrors(await resetWithMail(account.email));
  });

  it('gives back an address the thief changed since, and mails the reset there', async () => {
    const account = await owner();
    const thief = await logInFrom(account, THIEF);
    const thiefMailbox = await moveAddress(thief);
    // The owner's old address was told, with the link to undo it.
    const changed = latest(account.email, /address was changed/);
    expect(changed.text).toContain(`is now ${thiefMailbox}`);
    t.clock.advance(60);
    await secure(changed);

    expect(latest(account.email, /is secured/).text).toContain(`The account's address is ${account.email} again.`);
    expectNoErrors(await resetWithMail(account.email));
    const back = await logInFrom({ email: account.email, password: NEW_PASSWORD }, HOME);
    expect(expectNoErrors(await t.graphql(ME, {}, { token: back.accessToken })).me?.email).toBe(account.email);
    expectError(await t.graphql(LOGIN, { email: thiefMailbox, password: NEW_PASSWORD }), 'UNAUTHENTICATED');
    expect(mailsTo(thiefMailbox, /Reset your/)).toHaveLength(0);
  });

  it('secures the rest, and mails no reset to the thief, when another account took the old address meanwhile', async () => {
    const account = await owner();
    const thief = await logInFrom(account, THIEF);
    const thiefMailbox = await moveAddress(thief);
    // The thief signs the old address up again, so that it cannot be given back.
    expectNoErrors(await sendGraphQL(url, SIGN_UP, { email: account.email, password: STRONG_PASSWORD }, THIEF));
    await t.settle();
    t.clock.advance(60);
    await secure(latest(account.email, /address was changed/));

    expectError(await t.graphql(ME, {}, { token: thief.accessToken }), 'UNAUTHENTICATED', 'TOKEN_REVOKED');
    expectError(
      await t.graphql(LOGIN, { email: thiefMailbox, password: account.password }),
      'FORBIDDEN',
      'PASSWORD_RESET_REQUIRED',
    );
    expect(latest(account.email, /is secured/).text).toContain('contact support');
    expect(mailsTo(thiefMailbox, /Reset your/)).toHaveLength(0);
  });

  it('keeps working after the thief signs in again, and mails at most five notices a day', async () => {
    const account = await owner();
    // Rate limits on, as `npm start` has them.
    const limited = await createTestApp(mailingTo(mailbox, { TRUST_PROXY: 'loopback', RATE_LIMIT: 'on' }), {
      mail: 'configured',
      sharing: t,
      clock: t.clock,
    });
    try {
      const app = { t: limited, url: await limited.listen() };
      for (let i = 1; i <= 7; i++) {
        await logInFrom(account, { headers: THIEF.headers, forwardedFor: `198.51.${100 + i}.23` }, app);
        t.clock.advance(60);
      }
      const limitedLines = limited.logs.filter((line) => line.event === 'new_sign_in_notice_limited');
      expect(limitedLines.map((line) => line.userId)).toEqual([account.userId, account.userId]);
    } finally {
      await limited.close();
    }
    const notices = mailsTo(account.email, NEW_SIGN_IN);
    expect(notices).toHaveLength(5);
    // The first notice's link, after six more sign-ins, ends them all.
    const [first] = notices;
    if (!first) throw new Error('no notice');
    await secure(first);
    const live = await t.services.prisma.session.count({ where: { userId: account.userId, revokedAt: null } });
    expect(live).toBe(0);
  });

  it('forgets the device it disowned, and not the owner’s', async () => {
    const account = await owner();
    await logInFrom(account, THIEF);
    t.clock.advance(60);
    await secure(latest(account.email, NEW_SIGN_IN));
    expectNoErrors(await resetWithMail(account.email));
    const renewed = { email: account.email, password: NEW_PASSWORD };
    // The owner at home: known, no notice.
    await logInFrom(renewed, HOME);
    expect(mailsTo(account.email, NEW_SIGN_IN)).toHaveLength(1);
    // The disowned device again (with the new password, should it leak too): new, and told of.
    await logInFrom(renewed, THIEF);
    expect(mailsTo(account.email, NEW_SIGN_IN)).toHaveLength(2);
  });
});

describe('what else ends a pending email change', () => {
  /** A thief's email change, waiting for its confirmation in the thief's mailbox. */
  async function pendingChange() {
    const account = await owner();
    const { link } = await askToMoveAddress(await logInFrom(account, THIEF));
    const confirm = () => t.graphql(CONFIRM_EMAIL_CHANGE, { token: link });
    return { account, confirm };
  }

  it('a password reset', async () => {
    const { account, confirm } = await pendingChange();
    expectNoErrors(await t.graphql(REQUEST_PASSWORD_RESET, { email: account.email }));
    await t.settle();
    expectNoErrors(await resetWithMail(account.email));
    expectError(await confirm(), 'BAD_USER_INPUT', { field: 'token' });
  });

  it("an admin's revokeUserSessions", async () => {
    const { account, confirm } = await pendingChange();
    const admin = await signUpAdmin(t);
    expectNoErrors(await t.graphql(REVOKE_USER_SESSIONS, { userId: account.userId }, { token: admin.accessToken }));
    expectError(await confirm(), 'BAD_USER_INPUT', { field: 'token' });
  });

  it('disabling the account, which stays so once enabled again', async () => {
    const { account, confirm } = await pendingChange();
    const admin = await signUpAdmin(t);
    const disable = (disabled: boolean) =>
      t.graphql(SET_USER_DISABLED, { userId: account.userId, disabled }, { token: admin.accessToken });
    expectNoErrors(await disable(true));
    expectNoErrors(await disable(false));
    expectError(await confirm(), 'BAD_USER_INPUT', { field: 'token' });
  });
});
