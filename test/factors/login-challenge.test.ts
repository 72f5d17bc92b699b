import { createHash } from 'node:crypto';
import { describe, expect } from 'vitest';
import {
  type Account,
  type Authenticator,
  createTestApp,
  enableTotp,
  expectError,
  expectNoErrors,
  type GraphQLResponse,
  LOGIN,
  ME,
  payloadOf,
  signUp,
  type TestApp,
  VERIFY_SECOND_FACTOR,
} from '../fixtures/index.ts';
import { test as it } from '../fixtures/suite.ts';

// Signing in to an account with a second factor: the right password gets a
// challenge and no tokens; the challenge and a code get the session.

let t: TestApp;
it.beforeAll(({ app }) => {
  t = app;
});

interface WithApp {
  account: Account;
  app: Authenticator;
}

async function accountWithApp(): Promise<WithApp> {
  const account = await signUp(t);
  return { account, app: await enableTotp(t, account) };
}

/** Logs in with the right password; returns the challenge of the SECOND_FACTOR_REQUIRED answer. */
async function challengeFor(account: Account, app = t): Promise<string> {
  const response = await app.graphql(LOGIN, { email: account.email, password: account.password });
  const error = expectError(response, 'SECOND_FACTOR_REQUIRED', { methods: ['TOTP', 'RECOVERY_CODE'] });
  expect(response.body.data ?? null).toBeNull();
  expect(error.extensions?.challenge).toEqual(expect.any(String));
  return String(error.extensions?.challenge);
}

const verify = (challenge: string, code: string) => t.graphql(VERIFY_SECOND_FACTOR, { challenge, code });

const outcomes = (responses: Array<GraphQLResponse<unknown>>) =>
  responses.map((response) => String(response.body.errors?.[0]?.extensions?.code ?? 'OK')).sort();

describe('login of an account with a second factor', () => {
  it('issues no tokens for the right password: SECOND_FACTOR_REQUIRED, a challenge and the methods', async () => {
    const { account } = await accountWithApp();
    const sessionsBefore = await t.services.prisma.session.count({ where: { userId: account.userId } });
    await challengeFor(account);
    expect(await t.services.prisma.session.count({ where: { userId: account.userId } })).toBe(sessionsBefore);
  });

  it('gives a wrong password the usual answer and no challenge', async () => {
    const { account } = await accountWithApp();
    const error = expectError(
      await t.graphql(LOGIN, { email: account.email, password: 'not-the-password-1' }),
      'UNAUTHENTICATED',
    );
    expect(error.extensions?.challenge).toBeUndefined();
  });

  it('signs in with the challenge and a code: the token carries amr [pwd, otp] and auth_time', async () => {
    const { account, app } = await accountWithApp();
    const challenge = await challengeFor(account);
    const seconds = () => Math.floor(t.clock.now().getTime() / 1000);
    const before = seconds();
    const { verifySecondFactor } = expectNoErrors(await verify(challenge, app.code()));
    expect(verifySecondFactor.user.id).toBe(account.userId);
    const claims = payloadOf(verifySecondFactor.accessToken);
    expect(claims.amr).toEqual(['pwd', 'otp']);
    // The second the code was verified: the clock may have ticked over since.
    expect(claims.auth_time).toBeGreaterThanOrEqual(before);
    expect(claims.auth_time).toBeLessThanOrEqual(seconds());
    expect(expectNoErrors(await t.graphql(ME, {}, { token: verifySecondFactor.accessToken })).me?.id).toBe(
      account.userId,
    );
  });

  it('accepts a code once: the same code is refused with the next challenge', async () => {
    const { account, app } = await accountWithApp();
    const code = app.code();
    expectNoErrors(await verify(await challengeFor(account), code));
    expectError(await verify(await challengeFor(account), code), 'BAD_USER_INPUT', { field: 'code' });
  });

  it('gives one session to two requests racing with one code, with one challenge or with two', async () => {
    const { account, app } = await accountWithApp();
    const challenge = await challengeFor(account);
    const code = app.code();
    const sessions = () => t.services.prisma.session.count({ where: { userId: account.userId } });
    const before = await sessions();
    // The loser finds the code spent or, when the winner has finished, the challenge used up.
    const raced = outcomes(await Promise.all([verify(challenge, code), verify(challenge, code)]));
    expect(raced.filter((outcome) => outcome === 'OK')).toHaveLength(1);
    expect(['BAD_USER_INPUT', 'UNAUTHENTICATED']).toContain(raced.find((outcome) => outcome !== 'OK'));
    expect(await sessions()).toBe(before + 1);
    t.clock.advance(30);
    const next = app.code();
    const [a, b] = [await challengeFor(account), await challengeFor(account)];
    expect(outcomes(await Promise.all([verify(a, next), verify(b, next)]))).toEqual(['BAD_USER_INPUT', 'OK']);
  });

  it('takes the code of the step before or after, not of two steps away', async () => {
    const { account, app } = await accountWithApp();
    // Past the step whose code confirmed the app.
    t.clock.advance(60);
    expectNoErrors(await verify(await challengeFor(account), app.code(-1)));
    t.clock.advance(60);
    expectError(await verify(await challengeFor(account), app.code(-2)), 'BAD_USER_INPUT', { field: 'code' });
    expectNoErrors(await verify(await challengeFor(account), app.code(1)));
  });

  it('signs in with a recovery code, once, and mails a notice with the codes left', async () => {
    const { account, app } = await accountWithApp();
    const recovery = app.recoveryCodes[3] ?? '';
    const { verifySecondFactor } = expectNoErrors(await verify(await challengeFor(account), recovery.toUpperCase()));
    expect(payloadOf(verifySecondFactor.accessToken).amr).toEqual(['pwd', 'otp']);
    expectError(await verify(await challengeFor(account), recovery), 'BAD_USER_INPUT', { field: 'code' });
    await t.settle();
    const notice = t.mail.find((mail) => mail.to === account.email && mail.text.includes('A recovery code was used'));
    expect(notice?.text).toContain('9 recovery codes left');
    const used = await t.services.prisma.authEvent.findFirst({
      where: { userId: account.userId, type: 'RECOVERY_CODE_USED' },
    });
    expect(used?.detail).toEqual({ left: 9 });
  });
});

describe('the challenge', () => {
  it('takes five codes at most: after five wrong ones, the right one is refused too', async () => {
    const { account, app } = await accountWithApp();
    const challenge = await challengeFor(account);
    for (let left = 4; left >= 0; left--) {
      expectError(await verify(challenge, '000000'), 'BAD_USER_INPUT', { field: 'code', attemptsLeft: left });
    }
    const refused = expectError(await verify(challenge, app.code()), 'UNAUTHENTICATED', 'CHALLENGE_INVALID');
    expect(refused.message).toBe('This sign-in took its last code; log in again.');
  });

  it('lasts five minutes', async () => {
    const { account, app } = await accountWithApp();
    const challenge = await challengeFor(account);
    t.clock.advance(5 * 60 + 1);
    const refused = expectError(await verify(challenge, app.code()), 'UNAUTHENTICATED', 'CHALLENGE_INVALID');
    expect(refused.message).toBe('This sign-in has expired; log in again.');
  });

  it('works once, and says so to a second use', async () => {
    const { account, app } = await accountWithApp();
    const challenge = await challengeFor(account);
    expectNoErrors(await verify(challenge, app.code()));
    t.clock.advance(30);
    const refused = expectError(await verify(challenge, app.code()), 'UNAUTHENTICATED', 'CHALLENGE_INVALID');
    expect(refused.message).toBe('This sign-in was finished already; log in again.');
  });

  it('is never taken for an access token', async () => {
    const { account } = await accountWithApp();
    const challenge = await challengeFor(account);
    expectError(await t.graphql(ME, {}, { token: challenge }), 'UNAUTHENTICATED', 'TOKEN_INVALID');
    expectError(await verify('not-a-challenge', '123456'), 'UNAUTHENTICATED', 'CHALLENGE_INVALID');
  });

  it('is stored only as a hash', async () => {
    const { account } = await accountWithApp();
    const challenge = await challengeFor(account);
    const rows = await t.services.prisma.loginChallenge.findMany({ where: { userId: account.userId } });
    // Its one row holds the challenge's SHA-256, and no column its text or its bytes.
    expect(rows.map((row) => Buffer.from(row.tokenHash).toString('hex'))).toEqual([
      createHash('sha256').update(challenge).digest('hex'),
    ]);
    const stored = JSON.stringify(rows, (_key, value: unknown) =>
      value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value,
    );
    expect(stored).not.toContain(challenge);
    expect(stored).not.toContain(Buffer.from(challenge).toString('hex'));
  });
});

describe('wrong codes across challenges', () => {
  it('are limited per account, so that logging in again buys no more guesses', async () => {
    const limited = await createTestApp(
      { RATE_LIMIT: 'on', RATE_LIMIT_SECOND_FACTOR_FAILURES: '3/1h' },
      { sharing: t, clock: t.clock },
    );
    try {
      const { account, app } = await accountWithApp();
      const first = await challengeFor(account, limited);
      for (let i = 0; i < 2; i++) {
        expectError(
          await limited.graphql(VERIFY_SECOND_FACTOR, { challenge: first, code: '000000' }),
          'BAD_USER_INPUT',
        );
      }
      const second = await challengeFor(account, limited);
      expectError(await limited.graphql(VERIFY_SECOND_FACTOR, { challenge: second, code: '000000' }), 'BAD_USER_INPUT');
      const refused = await limited.graphql(VERIFY_SECOND_FACTOR, { challenge: second, code: app.code() });
      expectError(refused, 'RATE_LIMITED');
      expect(refused.status).toBe(429);
    } finally {
      await limited.close();
    }
  });
});
