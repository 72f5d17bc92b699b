import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { describe, expect } from 'vitest';
import {
  type Account,
  CHANGE_PASSWORD,
  createTestApp,
  enableTotp,
  expectError,
  expectNoErrors,
  LOGIN,
  ME,
  ME_SECOND_FACTOR,
  PRODUCTION,
  REQUEST_PASSWORD_RESET,
  RESET_PASSWORD,
  RESET_SECOND_FACTOR,
  payloadOf,
  signUp,
  signUpAdmin,
  SoftwareAuthenticator,
  type TestApp,
} from '../fixtures/index.ts';
import { test as it } from '../fixtures/suite.ts';

// The passkey rules a browser is not needed for, with an authenticator in
// software: challenges single use, bound and expiring; origins checked; a
// counter that goes backwards refused; the second-factor path. The browser's
// own half is tested in Chromium (test/browser/passkeys.test.ts).

const ORIGIN = 'http://localhost:5174';

let t: TestApp;
it.beforeAll(({ app }) => {
  t = app;
});

type Json = Record<string, unknown>;

const registrationOptions = async (account: Account, code?: string) =>
  expectNoErrors(
    await t.graphql<{ passkeyRegistrationOptions: PublicKeyCredentialCreationOptionsJSON }>(
      'mutation($password: String!, $code: String) { passkeyRegistrationOptions(password: $password, code: $code) }',
      { password: account.password, code },
      { token: account.accessToken },
    ),
  ).passkeyRegistrationOptions;

const register = (account: Account, response: Json, name?: string) =>
  t.graphql<{ registerPasskey: { id: string; name: string } }>(
    'mutation($response: JSONObject!, $name: String) { registerPasskey(response: $response, name: $name) { id name } }',
    { response, name },
    { token: account.accessToken },
  );

const loginOptions = async (email?: string) =>
  expectNoErrors(
    await t.graphql<{ passkeyLoginOptions: PublicKeyCredentialRequestOptionsJSON }>(
      'mutation($email: String) { passkeyLoginOptions(email: $email) }',
      {
        email,
      },
    ),
  ).passkeyLoginOptions;

const loginWith = (response: Json) =>
  t.graphql<{ loginWithPasskey: { accessToken: string; user: { email: string } } }>(
    'mutation($response: JSONObject!) { loginWithPasskey(response: $response) { accessToken user { email } } }',
    { response },
  );

/** A fresh account holding one passkey of `authenticator`. */
async function withPasskey(authenticator = new SoftwareAuthenticator(ORIGIN)) {
  const account = await signUp(t, { verified: true });
  const options = await registrationOptions(account);
  expectNoErrors(await register(account, authenticator.create(options), 'Laptop'));
  return { account, authenticator };
}

describe('registration', () => {
  it('stores the passkey; the user handle in the options is random, not the email or the id', async () => {
    const account = await signUp(t, { verified: true });
    const options = await registrationOptions(account);
    const user = options.user as { id: string; name: string };
    expect(user.name).toBe(account.email);
    expect(Buffer.from(user.id, 'base64url')).toHaveLength(32);
    expect(Buffer.from(user.id, 'base64url').toString()).not.toContain(account.email);
    expect(user.id).not.toContain(account.userId);
    expect(options.authenticatorSelection).toMatchObject({ residentKey: 'required' });
    const authenticator = new SoftwareAuthenticator(ORIGIN);
    const { registerPasskey } = expectNoErrors(await register(account, authenticator.create(options), 'Laptop'));
    expect(registerPasskey.name).toBe('Laptop');
    const listed = await t.graphql('{ passkeys { name transports synced } }', {}, { token: account.accessToken });
    expect(listed.body.data).toEqual({ passkeys: [{ name: 'Laptop', transports: ['internal'], synced: false }] });
    expect(expectNoErrors(await t.graphql(ME_SECOND_FACTOR, {}, { token: account.accessToken })).me?.secondFactor).toBe(
      true,
    );
  });

  it('refuses a response to options used already, of another user, or past five minutes', async () => {
    const account = await signUp(t, { verified: true });
    const other = await signUp(t, { verified: true });
    const authenticator = new SoftwareAuthenticator(ORIGIN);
    // Asked for before the first passkey: once the account has one, more options need a step-up.
    const [options, forOther, late] = [
      await registrationOptions(account),
      await registrationOptions(account),
      await registrationOptions(account),
    ];
    expectNoErrors(await register(account, authenticator.create(options)));
    expectError(await register(account, authenticator.create(options)), 'BAD_USER_INPUT', {
      field: 'response',
    });
    expectError(await register(other, authenticator.create(forOther)), 'BAD_USER_INPUT', { field: 'response' });
    t.clock.advance(5 * 60 + 1);
    expectError(await register(account, authenticator.create(late)), 'BAD_USER_INPUT', { field: 'response' });
  });

  it('refuses a response made on a page of another origin', async () => {
    const account = await signUp(t, { verified: true });
    const authenticator = new SoftwareAuthenticator('https://evil.example');
    const response = await register(account, authenticator.create(await registrationOptions(account)));
    expectError(response, 'BAD_USER_INPUT', { field: 'response' });
    expect(response.body.errors?.[0]?.message).toMatch(/may not use passkeys/);
  });

  it('needs a recent second factor, or a code, on an account that has one', async () => {
    const account = await signUp(t);
    const app = await enableTotp(t, account);
    t.clock.advance(16 * 60);
    const login = expectNoErrors(
      await t.graphql('mutation($r: String!) { refresh(refreshToken: $r) { accessToken } }', {
        r: account.refreshToken,
      }),
    ) as { refresh: { accessToken: string } };
    const stale = { ...account, accessToken: login.refresh.accessToken };
    expectError(
      await t.graphql(
        'mutation($p: String!) { passkeyRegistrationOptions(password: $p) }',
        { p: account.password },
        { token: stale.accessToken },
      ),
      'FORBIDDEN',
      'STEP_UP_REQUIRED',
    );
    expect(await registrationOptions(stale, app.code())).toHaveProperty('challenge');
  });
});

describe('step-up with a passkey', () => {
  const stepUpOptions = async (token: string) =>
    expectNoErrors(
      await t.graphql<{ passkeyStepUpOptions: PublicKeyCredentialRequestOptionsJSON }>(
        'mutation { passkeyStepUpOptions }',
        {},
        { token },
      ),
    ).passkeyStepUpOptions;
  const stepUp = (token: string, response: Json) =>
    t.graphql('mutation($r: JSONObject!) { stepUpWithPasskey(response: $r) }', { r: response }, { token });
  const changePassword = (account: Account, token: string) =>
    t.graphql(
      CHANGE_PASSWORD,
      { currentPassword: account.password, newPassword: 'a new passphrase, long enough' },
      { token },
    );

  it('answers a stale session of a passkey-only account with methods [PASSKEY], and confirms with an assertion bound to it', async () => {
    const { account: signedIn, authenticator } = await withPasskey();
    t.clock.advance(16 * 60);
    const refreshed = expectNoErrors(
      await t.graphql<{ refresh: { accessToken: string } }>(
        'mutation($r: String!) { refresh(refreshToken: $r) { accessToken } }',
        { r: signedIn.refreshToken },
      ),
    );
    const account = { ...signedIn, accessToken: refreshed.refresh.accessToken };
    const refused = expectError(await changePassword(account, account.accessToken), 'FORBIDDEN', {
      reason: 'STEP_UP_REQUIRED',
      methods: ['PASSKEY'],
    });
    expect(refused.message).toMatch(/passkey/);

    // An assertion made for another session of the same account does not confirm this one.
    const other = expectNoErrors(await loginWith(authenticator.get(await loginOptions()))).loginWithPasskey;
    const forOther = authenticator.get(await stepUpOptions(other.accessToken));
    expectError(await stepUp(account.accessToken, forOther), 'UNAUTHENTICATED');

    const response = authenticator.get(await stepUpOptions(account.accessToken));
    expect((await stepUp(account.accessToken, response)).body.data).toEqual({ stepUpWithPasskey: true });
    expectError(await stepUp(account.accessToken, response), 'UNAUTHENTICATED');
    expectNoErrors(await changePassword(account, account.accessToken));
  });

  it('offers no options to an account without a passkey, and keeps no challenge for it', async () => {
    const account = await signUp(t);
    const refused = expectError(
      await t.graphql('mutation { passkeyStepUpOptions }', {}, { token: account.accessToken }),
      'BAD_USER_INPUT',
    );
    expect(refused.message).toMatch(/no passkey/);
    expect(await t.services.prisma.webAuthnChallenge.count({ where: { userId: account.userId } })).toBe(0);
  });
});

describe('signing in with a passkey', () => {
  it('signs in with no password and no email (discoverable): amr hwk, with mfa for a verified person', async () => {
    const { account, authenticator } = await withPasskey();
    const { loginWithPasskey } = expectNoErrors(await loginWith(authenticator.get(await loginOptions())));
    expect(loginWithPasskey.user.email).toBe(account.email);
    expect(payloadOf(loginWithPasskey.accessToken).amr).toEqual(['hwk', 'mfa']);
    expectNoErrors(await t.graphql(ME, {}, { token: loginWithPasskey.accessToken }));
    const unverified = authenticator.get(await loginOptions(), { userVerified: false });
    expect(payloadOf(expectNoErrors(await loginWith(unverified)).loginWithPasskey.accessToken).amr).toEqual(['hwk']);
  });

  it('answers an email-first request alike for every address, naming no passkey, and binds it to the account', async () => {
    const { account, authenticator } = await withPasskey();
    const withoutPasskey = await signUp(t);
    const shape = (options: PublicKeyCredentialRequestOptionsJSON) => ({ ...options, challenge: '(random)' });
    const answers = await Promise.all(
      [account.email, withoutPasskey.email, 'nobody-at-all@example.com'].map(loginOptions),
    );
    // Nothing tells an address with passkeys from one without, or from no account at all.
    for (const options of answers) expect(shape(options)).toEqual(shape(answers[0] as typeof options));
    expect(answers[0]?.allowCredentials ?? []).toEqual([]);
    expectNoErrors(await loginWith(authenticator.get(answers[0] as PublicKeyCredentialRequestOptionsJSON)));
    // Bound to the account asked for: its own passkeys answer it, another account's do not.
    const other = await withPasskey();
    expectError(await loginWith(other.authenticator.get(await loginOptions(account.email))), 'UNAUTHENTICATED');
  });

  it('refuses a replayed response, and a challenge made for another account', async () => {
    const { authenticator } = await withPasskey();
    const response = authenticator.get(await loginOptions());
    expectNoErrors(await loginWith(response));
    expectError(await loginWith(response), 'UNAUTHENTICATED');
    const someoneElse = await withPasskey();
    const theirs = await loginOptions(someoneElse.account.email);
    expectError(await loginWith(authenticator.get({ ...theirs, allowCredentials: [] })), 'UNAUTHENTICATED');
  });

  it('refuses options past five minutes, and another origin', async () => {
    const { authenticator } = await withPasskey();
    const options = await loginOptions();
    t.clock.advance(5 * 60 + 1);
    expectError(await loginWith(authenticator.get(options)), 'UNAUTHENTICATED');
    expectError(
      await loginWith(authenticator.get(await loginOptions(), { origin: 'http://localhost.evil.example' })),
      'UNAUTHENTICATED',
    );
  });

  it('refuses a counter that goes backwards, logs it and audits it: a cloned authenticator', async () => {
    const { account, authenticator } = await withPasskey();
    expectNoErrors(await loginWith(authenticator.get(await loginOptions(), { counter: 10 })));
    const refused = await loginWith(authenticator.get(await loginOptions(), { counter: 5 }));
    expectError(refused, 'UNAUTHENTICATED');
    expect(t.logs.some((line) => line.event === 'passkey_counter_regression' && line.userId === account.userId)).toBe(
      true,
    );
    const audited = await t.services.prisma.authEvent.count({
      where: { userId: account.userId, type: 'PASSKEY_COUNTER_REGRESSION' },
    });
    expect(audited).toBe(1);
  });

  it('refuses a disabled account with ACCOUNT_DISABLED', async () => {
    const { account, authenticator } = await withPasskey();
    await t.services.prisma.user.update({ where: { id: account.userId }, data: { disabledAt: t.clock.now() } });
    expectError(await loginWith(authenticator.get(await loginOptions())), 'UNAUTHENTICATED', 'ACCOUNT_DISABLED');
  });
});

describe('a passkey as a second factor', () => {
  it('is offered by login (methods include PASSKEY) and finishes it: amr [pwd, hwk]', async () => {
    const { account, authenticator } = await withPasskey();
    const login = await t.graphql(LOGIN, { email: account.email, password: account.password });
    const error = expectError(login, 'SECOND_FACTOR_REQUIRED', { methods: ['PASSKEY'] });
    const challenge = String(error.extensions?.challenge);
    const options = expectNoErrors(
      await t.graphql<{ passkeySecondFactorOptions: PublicKeyCredentialRequestOptionsJSON }>(
        'mutation($c: String!) { passkeySecondFactorOptions(challenge: $c) }',
        { c: challenge },
      ),
    ).passkeySecondFactorOptions;
    const verify = (response: Json) =>
      t.graphql<{ verifySecondFactorWithPasskey: { accessToken: string } }>(
        'mutation($c: String!, $r: JSONObject!) { verifySecondFactorWithPasskey(challenge: $c, response: $r) { accessToken } }',
        { c: challenge, r: response },
      );
    const response = authenticator.get(options);
    const { verifySecondFactorWithPasskey } = expectNoErrors(await verify(response));
    expect(payloadOf(verifySecondFactorWithPasskey.accessToken).amr).toEqual(['pwd', 'hwk']);
    expectError(await verify(response), 'UNAUTHENTICATED', 'CHALLENGE_INVALID');
  });

  it('answers a login with both an app and a passkey with all three methods', async () => {
    const account = await signUp(t, { verified: true });
    const app = await enableTotp(t, account);
    // The app is a second factor already: the passkey's options take its code (a step-up).
    expectNoErrors(
      await register(account, new SoftwareAuthenticator(ORIGIN).create(await registrationOptions(account, app.code()))),
    );
    expectError(
      await t.graphql(LOGIN, { email: account.email, password: account.password }),
      'SECOND_FACTOR_REQUIRED',
      {
        methods: ['TOTP', 'RECOVERY_CODE', 'PASSKEY'],
      },
    );
  });
});

describe('managing passkeys', () => {
  it('renames and removes one of one’s own, audited and mailed; a removed passkey signs in no more', async () => {
    const { account, authenticator } = await withPasskey();
    const [passkey] = expectNoErrors(
      await t.graphql<{ passkeys: Array<{ id: string }> }>('{ passkeys { id } }', {}, { token: account.accessToken }),
    ).passkeys;
    const id = passkey?.id ?? '';
    const renamed = await t.graphql(
      'mutation($id: ID!) { renamePasskey(id: $id, name: "Work laptop") { name } }',
      { id },
      {
        token: account.accessToken,
      },
    );
    expect(renamed.body.data).toEqual({ renamePasskey: { name: 'Work laptop' } });
    // Registered just now, from this session: its second factor counts as recent.
    const login = expectNoErrors(await loginWith(authenticator.get(await loginOptions()))).loginWithPasskey;
    expect(
      (await t.graphql('mutation($id: ID!) { removePasskey(id: $id) }', { id }, { token: login.accessToken })).body
        .data,
    ).toEqual({ removePasskey: true });
    expectError(await loginWith(authenticator.get(await loginOptions())), 'UNAUTHENTICATED');
    const types = (await t.services.prisma.authEvent.findMany({ where: { userId: account.userId } })).map(
      (e) => e.type,
    );
    expect(types).toEqual(expect.arrayContaining(['PASSKEY_REGISTERED', 'PASSKEY_RENAMED', 'PASSKEY_REMOVED']));
    await t.settle();
    expect(t.mail.filter((mail) => mail.to === account.email && mail.kind === 'passkey-changed')).toHaveLength(3);
  });

  it('refuses someone else’s passkey id as unknown', async () => {
    const { account } = await withPasskey();
    const other = await signUp(t);
    const [passkey] = expectNoErrors(
      await t.graphql<{ passkeys: Array<{ id: string }> }>('{ passkeys { id } }', {}, { token: account.accessToken }),
    ).passkeys;
    expectError(
      await t.graphql(
        'mutation($id: ID!) { removePasskey(id: $id) }',
        { id: passkey?.id },
        { token: other.accessToken },
      ),
      'BAD_USER_INPUT',
      { field: 'id' },
    );
  });
});

describe('a forgotten password, on an account whose second factor is a passkey', () => {
  it('is reset with the mailed token from a session the passkey just signed in, and no other', async () => {
    const { account, authenticator } = await withPasskey();
    const stranger = await signUp(t);
    expectNoErrors(await t.graphql(REQUEST_PASSWORD_RESET, { email: account.email }));
    await t.settle();
    const mail = t.mail.filter((entry) => entry.to === account.email && entry.kind === 'password-reset').at(-1);
    const token = new URL(mail?.link ?? '').searchParams.get('token') ?? '';
    const newPassword = 'a brand new passphrase';

    expectError(await t.graphql(RESET_PASSWORD, { token, newPassword }), 'SECOND_FACTOR_REQUIRED', {
      methods: ['PASSKEY'],
    });
    expectError(
      await t.graphql(RESET_PASSWORD, { token, newPassword }, { token: stranger.accessToken }),
      'SECOND_FACTOR_REQUIRED',
    );
    const signedIn = expectNoErrors(await loginWith(authenticator.get(await loginOptions()))).loginWithPasskey;
    expectNoErrors(await t.graphql(RESET_PASSWORD, { token, newPassword }, { token: signedIn.accessToken }));
    expectError(await t.graphql(ME, {}, { token: signedIn.accessToken }), 'UNAUTHENTICATED', 'TOKEN_REVOKED');
    expectError(await t.graphql(LOGIN, { email: account.email, password: newPassword }), 'SECOND_FACTOR_REQUIRED');
  });
});

describe('an admin’s reset', () => {
  it('removes the passkeys with the app: the password alone signs in, the passkey no more', async () => {
    const admin = await signUpAdmin(t);
    const { account, authenticator } = await withPasskey();
    expectError(await t.graphql(LOGIN, { email: account.email, password: account.password }), 'SECOND_FACTOR_REQUIRED');
    const { resetSecondFactor } = expectNoErrors(
      await t.graphql(RESET_SECOND_FACTOR, { userId: account.userId }, { token: admin.accessToken }),
    );
    expect(resetSecondFactor).toEqual({ id: account.userId, secondFactor: false });
    expectNoErrors(await t.graphql(LOGIN, { email: account.email, password: account.password }));
    expectError(await loginWith(authenticator.get(await loginOptions())), 'UNAUTHENTICATED');
  });
});

describe('settings', () => {
  it('turn passkeys off in production without WEBAUTHN_RP_ID', async () => {
    const production = await createTestApp(PRODUCTION, { sharing: t });
    try {
      const account = await signUp(production);
      expectError(
        await production.graphql(
          'mutation($p: String!) { passkeyRegistrationOptions(password: $p) }',
          { p: account.password },
          { token: account.accessToken },
        ),
        'FORBIDDEN',
        'PASSKEYS_UNAVAILABLE',
      );
    } finally {
      await production.close();
    }
  });
});
