import { describe, expect } from 'vitest';
import { createDataEncryption } from '../../src/crypto/data-encryption.ts';
import {
  CONFIRM_TOTP,
  DISABLE_TOTP,
  enableTotp,
  expectError,
  expectNoErrors,
  LOGIN,
  ME_SECOND_FACTOR,
  REGENERATE_RECOVERY_CODES,
  SET_UP_TOTP,
  signUp,
  type TestApp,
  totpCode,
  verifyAddress,
} from '../fixtures/index.ts';
import { testWithApp } from '../fixtures/suite.ts';

// Setting up an authenticator app: nothing is active until a first code
// proves it, the secret is stored encrypted, the recovery codes hashed.

const it = testWithApp({ APP_NAME: 'Acme' });
let t: TestApp;
it.beforeAll(({ app }) => {
  t = app;
});

const secondFactorOf = async (accessToken: string) =>
  expectNoErrors(await t.graphql(ME_SECOND_FACTOR, {}, { token: accessToken })).me?.secondFactor;

describe('setUpTotp and confirmTotp', () => {
  it('give a secret and its otpauth URI, and change nothing until confirmed', async () => {
    const account = await signUp(t, { verified: true });
    const { setUpTotp } = expectNoErrors(
      await t.graphql(SET_UP_TOTP, { password: account.password }, { token: account.accessToken }),
    );
    expect(setUpTotp.secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(setUpTotp.otpauthUri);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe(`/Acme:${account.email}`);
    expect(Object.fromEntries(uri.searchParams)).toMatchObject({
      secret: setUpTotp.secret,
      issuer: 'Acme',
      digits: '6',
      period: '30',
    });
    // Not confirmed: the password alone still signs in.
    expect(await secondFactorOf(account.accessToken)).toBe(false);
    expectNoErrors(await t.graphql(LOGIN, { email: account.email, password: account.password }));
  });

  it('need the password and a signed-in caller', async () => {
    const account = await signUp(t, { verified: true });
    expectError(
      await t.graphql(SET_UP_TOTP, { password: 'not-the-password-1' }, { token: account.accessToken }),
      'BAD_USER_INPUT',
      { field: 'password' },
    );
    expectError(await t.graphql(SET_UP_TOTP, { password: account.password }), 'UNAUTHENTICATED');
  });

  it('turn the app on with its first code, returning ten distinct recovery codes, and mail a notice', async () => {
    const account = await signUp(t, { verified: true });
    const token = account.accessToken;
    const { setUpTotp } = expectNoErrors(await t.graphql(SET_UP_TOTP, { password: account.password }, { token }));
    expectError(await t.graphql(CONFIRM_TOTP, { code: '000000' }, { token }), 'BAD_USER_INPUT', { field: 'code' });
    const { confirmTotp } = expectNoErrors(
      await t.graphql(CONFIRM_TOTP, { code: totpCode(setUpTotp.secret, t.clock.now()) }, { token }),
    );
    expect(confirmTotp).toHaveLength(10);
    expect(new Set(confirmTotp).size).toBe(10);
    for (const code of confirmTotp) expect(code).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);
    expect(await secondFactorOf(token)).toBe(true);
    await t.settle();
    expect(t.mail.filter((mail) => mail.to === account.email).map((mail) => mail.text)).toContainEqual(
      expect.stringContaining('Two-step sign-in was turned on'),
    );
    const events = await t.services.prisma.authEvent.findMany({ where: { userId: account.userId } });
    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(['TOTP_SETUP_STARTED', 'TOTP_ENABLED']));
  });

  it('refuse a code from a secret set up before the last setUpTotp', async () => {
    const account = await signUp(t, { verified: true });
    const token = account.accessToken;
    const first = expectNoErrors(await t.graphql(SET_UP_TOTP, { password: account.password }, { token })).setUpTotp;
    const second = expectNoErrors(await t.graphql(SET_UP_TOTP, { password: account.password }, { token })).setUpTotp;
    expect(second.secret).not.toBe(first.secret);
    expectError(
      await t.graphql(CONFIRM_TOTP, { code: totpCode(first.secret, t.clock.now()) }, { token }),
      'BAD_USER_INPUT',
    );
    expectNoErrors(await t.graphql(CONFIRM_TOTP, { code: totpCode(second.secret, t.clock.now()) }, { token }));
  });

  it('refuse an address nobody has verified (FORBIDDEN, EMAIL_NOT_VERIFIED), then take it once verified', async () => {
    // Someone who signs up with another person's address must not be able to lock its owner
    // out: a reset by mail takes the second factor, so the address must be shown to be theirs first.
    const account = await signUp(t);
    const token = account.accessToken;
    const refused = await t.graphql(SET_UP_TOTP, { password: account.password }, { token });
    expectError(refused, 'FORBIDDEN', 'EMAIL_NOT_VERIFIED');
    expect(await t.services.prisma.totpFactor.count({ where: { userId: account.userId } })).toBe(0);
    await verifyAddress(t, account);
    expectNoErrors(await t.graphql(SET_UP_TOTP, { password: account.password }, { token }));
  });

  it('refuse to set up a second app while one is on', async () => {
    const account = await signUp(t);
    await enableTotp(t, account);
    const response = await t.graphql(SET_UP_TOTP, { password: account.password }, { token: account.accessToken });
    expectError(response, 'FORBIDDEN', 'TOTP_ALREADY_ENABLED');
  });
});

describe('storage', () => {
  it('keeps the secret encrypted with DATA_ENCRYPTION_KEY, and the recovery codes only as salted hashes', async () => {
    const account = await signUp(t);
    const app = await enableTotp(t, account);
    const row = await t.services.prisma.totpFactor.findUniqueOrThrow({ where: { userId: account.userId } });
    const stored = Buffer.from(row.secret);
    const raw = Buffer.from(app.secret);
    expect(stored.includes(raw)).toBe(false);
    // Another key cannot open it.
    const stranger = createDataEncryption([Buffer.alloc(32, 7)]);
    expect(() => stranger.open(row.secret)).toThrow();

    const codes = await t.services.prisma.recoveryCode.findMany({ where: { userId: account.userId } });
    expect(codes).toHaveLength(10);
    const everything = JSON.stringify(codes, (_key, value: unknown) =>
      value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : value,
    );
    for (const code of app.recoveryCodes) {
      expect(everything).not.toContain(code);
      expect(everything).not.toContain(code.replace(/-/g, ''));
    }
    expect(new Set(codes.map((code) => Buffer.from(code.salt).toString('hex'))).size).toBe(10);
  });
});

describe('disableTotp and regenerateRecoveryCodes', () => {
  it('turn the app off with the password and a code; the password alone then signs in', async () => {
    const account = await signUp(t);
    const app = await enableTotp(t, account);
    const token = account.accessToken;
    expectError(
      await t.graphql(DISABLE_TOTP, { password: 'not-the-password-1', code: app.code() }, { token }),
      'BAD_USER_INPUT',
      { field: 'password' },
    );
    expectError(
      await t.graphql(DISABLE_TOTP, { password: account.password, code: '123456' }, { token }),
      'BAD_USER_INPUT',
      {
        field: 'code',
      },
    );
    expect(
      expectNoErrors(await t.graphql(DISABLE_TOTP, { password: account.password, code: app.code() }, { token }))
        .disableTotp,
    ).toBe(true);
    expect(await secondFactorOf(token)).toBe(false);
    expectNoErrors(await t.graphql(LOGIN, { email: account.email, password: account.password }));
    expect(await t.services.prisma.recoveryCode.count({ where: { userId: account.userId } })).toBe(0);
  });

  it('make ten new recovery codes, the old ones no longer working', async () => {
    const account = await signUp(t);
    const app = await enableTotp(t, account);
    const token = account.accessToken;
    const { regenerateRecoveryCodes } = expectNoErrors(
      await t.graphql(REGENERATE_RECOVERY_CODES, { code: app.code() }, { token }),
    );
    expect(regenerateRecoveryCodes).toHaveLength(10);
    expect(regenerateRecoveryCodes).not.toContain(app.recoveryCodes[0]);
    const oldCode = app.recoveryCodes[0] ?? '';
    expectError(await t.graphql(REGENERATE_RECOVERY_CODES, { code: oldCode }, { token }), 'BAD_USER_INPUT', {
      field: 'code',
    });
    expectNoErrors(await t.graphql(REGENERATE_RECOVERY_CODES, { code: regenerateRecoveryCodes[0] ?? '' }, { token }));
  });

  it('answer an account without an app with BAD_USER_INPUT', async () => {
    const account = await signUp(t);
    const token = account.accessToken;
    expectError(await t.graphql(REGENERATE_RECOVERY_CODES, { code: '123456' }, { token }), 'BAD_USER_INPUT');
    expectError(
      await t.graphql(DISABLE_TOTP, { password: account.password, code: '123456' }, { token }),
      'BAD_USER_INPUT',
    );
  });
});
