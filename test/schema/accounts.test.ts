import { createHash } from 'node:crypto';
import type { ResultOf } from '@graphql-typed-document-node/core';
import bcrypt from 'bcryptjs';
import { describe, expect } from 'vitest';
import { isCommonPassword } from '../../src/auth/accounts/common-passwords.ts';
import {
  accountRowCounts,
  expectError,
  expectNoErrors,
  expiredTokenFor,
  LOGIN,
  logIn,
  ME,
  payloadOf,
  SIGN_UP,
  signUp,
  STRONG_PASSWORD,
  uniqueEmail,
  type GraphQLResponse,
  type RequestOptions,
  type TestApp,
} from '../fixtures/index.ts';
import { test as it } from '../fixtures/suite.ts';

let t: TestApp;
it.beforeAll(({ app }) => {
  t = app;
});

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

const utf8Bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** 36 × "é" (2 bytes each): 36 characters, exactly bcrypt's 72-byte limit. */
const PASSWORD_72_BYTES = 'é'.repeat(36);

/** Every row of the three tables as text, binary columns spelled out in the usual encodings. */
async function everyRowAsText(): Promise<string> {
  const { prisma } = t.services;
  const rows = [
    ...(await prisma.user.findMany()),
    ...(await prisma.session.findMany()),
    ...(await prisma.refreshToken.findMany()),
  ];
  return JSON.stringify(rows, (_key, value: unknown) => {
    if (value instanceof Uint8Array) {
      const bytes = Buffer.from(value);
      return [bytes.toString('utf8'), bytes.toString('hex'), bytes.toString('base64'), bytes.toString('base64url')];
    }
    return value;
  });
}

describe('signUp: email', () => {
  it('stores the email trimmed and lower-cased', async () => {
    const { signUp: payload } = expectNoErrors(
      await t.graphql(SIGN_UP, { email: '  Mixed@Example.COM ', password: STRONG_PASSWORD }),
    );
    expect(payload.user.email).toBe('mixed@example.com');
    const row = await t.services.prisma.user.findUnique({ where: { id: payload.user.id } });
    expect(row?.email).toBe('mixed@example.com');
  });

  it('refuses a second account whose email differs only in letter case with EMAIL_TAKEN', async () => {
    const { email } = await signUp(t);
    const response = await t.graphql(SIGN_UP, { email: email.toUpperCase(), password: STRONG_PASSWORD });
    expectError(response, 'EMAIL_TAKEN', { field: 'email' });
    expect(response.body.data).toBeNull();
  });

  it('accepts an email of exactly 254 characters', async () => {
    const email = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`;
    expect(email).toHaveLength(254);
    const { signUp: payload } = expectNoErrors(await t.graphql(SIGN_UP, { email, password: STRONG_PASSWORD }));
    expect(payload.user.email).toBe(email);
  });

  it.each([
    { what: 'is longer than 254 characters', email: `${'a'.repeat(243)}@example.com` },
    { what: 'has no "@"', email: 'no-at-sign.example.com' },
    { what: 'has two "@"', email: 'two@at@example.com' },
    { what: 'has a domain without a dot', email: 'someone@localhost' },
    { what: 'is empty', email: '' },
    { what: 'is only spaces', email: '   ' },
    // What a mail library may read as two recipients, or a name and an address (GHSA-7rqj-j65f-68wh).
    { what: 'holds a comma', email: 'victim@example.com,thief@example.net' },
    { what: 'is in angle brackets', email: 'Victim <victim@example.com>' },
    { what: 'holds angle brackets', email: 'thief@example.net<victim@example.com>' },
    { what: 'has a quoted local part', email: '"victim@example.com"@example.net' },
    { what: 'holds a semicolon', email: 'victim@example.com;thief@example.net' },
    { what: 'has a full-width "＠" instead of "@"', email: 'victim＠example.com' },
    // One "@" each, so a shape check that only counts them lets them through.
    { what: 'has a comma in its local part', email: 'victim,thief@example.com' },
    { what: 'ends in an angle bracket', email: 'thief@example.com>' },
    { what: 'has an angle bracket in its local part', email: 'victim<thief@example.com' },
    { what: 'has quotes in its local part', email: '"victim"thief@example.com' },
    { what: 'has a full-width "＠" in its local part', email: 'admin＠victim.example@thief.example' },
    { what: 'has a parenthesis (a comment to mail parsers)', email: 'victim(comment)@example.com' },
    { what: 'has a local part beyond ASCII', email: 'jürgen@example.com' },
    { what: 'has a local part of 65 characters', email: `${'a'.repeat(65)}@example.com` },
    { what: 'has two dots in a row', email: 'a..b@example.com' },
    { what: 'has a domain label starting with a hyphen', email: 'ada@-example.com' },
    { what: 'has an underscore in its domain', email: 'ada@ex_ample.com' },
  ])('refuses an email that $what with BAD_USER_INPUT on the email field', async ({ email }) => {
    const before = await accountRowCounts(t);
    const response = await t.graphql(SIGN_UP, { email, password: STRONG_PASSWORD });
    expectError(response, 'BAD_USER_INPUT', { field: 'email' });
    expect(response.body.data).toBeNull();
    expect(await accountRowCounts(t)).toEqual(before);
  });

  it('stores an internationalized domain in its ASCII form, so both spellings are one account', async () => {
    const local = uniqueEmail('idn').split('@')[0];
    const { signUp: payload } = expectNoErrors(
      await t.graphql(SIGN_UP, { email: `${local}@Bücher.example`, password: STRONG_PASSWORD }),
    );
    expect(payload.user.email).toBe(`${local}@xn--bcher-kva.example`);
    const again = await t.graphql(SIGN_UP, { email: `${local}@xn--bcher-kva.example`, password: STRONG_PASSWORD });
    expectError(again, 'EMAIL_TAKEN', { field: 'email' });
    expectNoErrors(await t.graphql(LOGIN, { email: `${local}@bücher.example`, password: STRONG_PASSWORD }));
  });

  it("takes the signs RFC 5321 allows in a local part unquoted, such as O'Brien's plus-tagged address", async () => {
    const email = `o'brien+${uniqueEmail('tag').split('@')[0]}@example.com`;
    const { signUp: payload } = expectNoErrors(await t.graphql(SIGN_UP, { email, password: STRONG_PASSWORD }));
    expect(payload.user.email).toBe(email);
  });
});

describe('signUp: password', () => {
  it('refuses a password of 7 characters with BAD_USER_INPUT on the password field', async () => {
    const response = await t.graphql(SIGN_UP, { email: uniqueEmail(), password: 'Vk3-q9z' });
    expectError(response, 'BAD_USER_INPUT', { field: 'password' });
  });

  it('accepts a password of exactly 8 characters', async () => {
    expectNoErrors(await t.graphql(SIGN_UP, { email: uniqueEmail(), password: 'Vk3-q9zW' }));
  });

  it('refuses a well-known common password with BAD_USER_INPUT on the password field', async () => {
    expect(await isCommonPassword('password123')).toBe(true);
    const response = await t.graphql(SIGN_UP, { email: uniqueEmail(), password: 'password123' });
    expectError(response, 'BAD_USER_INPUT', { field: 'password' });
  });

  it('refuses a common password written in other letter case', async () => {
    expect(await isCommonPassword('iloveyou123')).toBe(true);
    const response = await t.graphql(SIGN_UP, { email: uniqueEmail(), password: 'ILoveYou123' });
    expectError(response, 'BAD_USER_INPUT', { field: 'password' });
  });

  it('refuses a password that is the email itself in another letter case', async () => {
    const email = uniqueEmail();
    const response = await t.graphql(SIGN_UP, { email, password: email.toUpperCase() });
    expectError(response, 'BAD_USER_INPUT', { field: 'password' });
  });

  it('accepts a password of exactly 72 bytes of multibyte characters and logs in with it', async () => {
    expect(utf8Bytes(PASSWORD_72_BYTES)).toBe(72);
    const email = uniqueEmail();
    await signUp(t, { email, password: PASSWORD_72_BYTES });
    const loggedIn = await logIn(t, { email, password: PASSWORD_72_BYTES });
    expect(loggedIn.email).toBe(email);
  });

  it('refuses a 73-byte password with BAD_USER_INPUT on the password field instead of cutting it', async () => {
    const password = `${PASSWORD_72_BYTES}a`;
    expect(utf8Bytes(password)).toBe(73);
    const response = await t.graphql(SIGN_UP, { email: uniqueEmail(), password });
    expectError(response, 'BAD_USER_INPUT', { field: 'password' });
  });

  it('refuses a 73-byte password made only of multibyte characters', async () => {
    const password = `${'é'.repeat(35)}€`; // 35 × 2 bytes + 3 bytes
    expect(utf8Bytes(password)).toBe(73);
    const response = await t.graphql(SIGN_UP, { email: uniqueEmail(), password });
    expectError(response, 'BAD_USER_INPUT', { field: 'password' });
  });

  it('does not log in with the 72-byte password followed by one more byte', async () => {
    const { email } = await signUp(t, { password: PASSWORD_72_BYTES });
    const response = await t.graphql(LOGIN, { email, password: `${PASSWORD_72_BYTES}x` });
    expect(response.body.errors, JSON.stringify(response.body)).toHaveLength(1);
    expect(['BAD_USER_INPUT', 'UNAUTHENTICATED']).toContain(response.body.errors?.[0]?.extensions?.code);
    expect(response.body.data?.login?.accessToken).toBeUndefined();
  });
});

describe('signUp: name', () => {
  it('stores the name trimmed', async () => {
    const { signUp: payload } = expectNoErrors(
      await t.graphql(SIGN_UP, { email: uniqueEmail(), password: STRONG_PASSWORD, name: '  Ada Lovelace \t' }),
    );
    expect(payload.user.name).toBe('Ada Lovelace');
    const row = await t.services.prisma.user.findUnique({ where: { id: payload.user.id } });
    expect(row?.name).toBe('Ada Lovelace');
  });

  it('accepts a name of exactly 100 characters', async () => {
    const name = 'n'.repeat(100);
    const { signUp: payload } = expectNoErrors(
      await t.graphql(SIGN_UP, { email: uniqueEmail(), password: STRONG_PASSWORD, name }),
    );
    expect(payload.user.name).toBe(name);
  });

  it('refuses a name longer than 100 characters with BAD_USER_INPUT on the name field', async () => {
    const response = await t.graphql(SIGN_UP, {
      email: uniqueEmail(),
      password: STRONG_PASSWORD,
      name: 'n'.repeat(101),
    });
    expectError(response, 'BAD_USER_INPUT', { field: 'name' });
  });

  it('leaves the name null when it is omitted', async () => {
    const { signUp: payload } = expectNoErrors(
      await t.graphql(SIGN_UP, { email: uniqueEmail(), password: STRONG_PASSWORD }),
    );
    expect(payload.user.name).toBeNull();
    const row = await t.services.prisma.user.findUnique({ where: { id: payload.user.id } });
    expect(row?.name).toBeNull();
  });
});

describe('a failed signUp', () => {
  it.each([
    {
      what: 'a bad email',
      code: 'BAD_USER_INPUT',
      prepare: async () => ({ email: 'not-an-email', password: STRONG_PASSWORD }),
    },
    {
      what: 'a bad password',
      code: 'BAD_USER_INPUT',
      prepare: async () => ({ email: uniqueEmail(), password: 'password123' }),
    },
    {
      what: 'a taken email',
      code: 'EMAIL_TAKEN',
      prepare: async () => {
        const { email } = await signUp(t);
        return { email: email.toUpperCase(), password: STRONG_PASSWORD };
      },
    },
  ])('leaves no user, session or refresh token row behind for $what', async ({ code, prepare }) => {
    const variables = await prepare();
    const before = await accountRowCounts(t);
    const response = await t.graphql(SIGN_UP, variables);
    expect(await accountRowCounts(t)).toEqual(before);
    expectError(response, code);
  });
});

describe('two signUps racing on one email', () => {
  async function race(firstEmail: string, secondEmail: string) {
    const responses = await Promise.all([
      t.graphql(SIGN_UP, { email: firstEmail, password: STRONG_PASSWORD }),
      t.graphql(SIGN_UP, { email: secondEmail, password: STRONG_PASSWORD }),
    ]);
    const codes = responses.flatMap((r) => (r.body.errors ?? []).map((e) => e.extensions?.code));
    const winners = responses.filter((r) => r.body.errors === undefined && r.body.data?.signUp);
    return { responses, codes, winners };
  }

  it('give exactly one account and exactly one EMAIL_TAKEN', async () => {
    const email = uniqueEmail('race');
    const { codes, winners } = await race(email, email);
    expect(codes).toEqual(['EMAIL_TAKEN']);
    expect(winners).toHaveLength(1);
    expect(await t.services.prisma.user.count({ where: { email } })).toBe(1);
  });

  it('give exactly one account and exactly one EMAIL_TAKEN when the emails differ in letter case', async () => {
    const email = uniqueEmail('race');
    const { codes, winners } = await race(email, email.toUpperCase());
    expect(codes).toEqual(['EMAIL_TAKEN']);
    expect(winners).toHaveLength(1);
    expect(await t.services.prisma.user.count({ where: { email } })).toBe(1);
  });

  it('leave one user, one session and one refresh token, nothing of the loser', async () => {
    const email = uniqueEmail('race');
    const before = await accountRowCounts(t);
    const { codes } = await race(email, email);
    expect(codes).toEqual(['EMAIL_TAKEN']);
    expect(await accountRowCounts(t)).toEqual({
      users: before.users + 1,
      sessions: before.sessions + 1,
      refreshTokens: before.refreshTokens + 1,
    });
  });
});

describe('login', () => {
  it('returns an AuthPayload whose access token works with me', async () => {
    const { email, password, userId } = await signUp(t);
    const { login: payload } = expectNoErrors(await t.graphql(LOGIN, { email, password }));
    expect(payload.tokenType).toBe('Bearer');
    expect(payload.user).toMatchObject({ id: userId, email });
    const { me } = expectNoErrors(await t.graphql(ME, {}, { token: payload.accessToken }));
    expect(me).toMatchObject({ id: userId, email });
  });

  it('refuses a wrong password and an unknown email with UNAUTHENTICATED and the identical message', async () => {
    const { email } = await signUp(t);
    const wrongPassword = await t.graphql(LOGIN, { email, password: `${STRONG_PASSWORD}-wrong` });
    const unknownEmail = await t.graphql(LOGIN, { email: uniqueEmail('nobody'), password: STRONG_PASSWORD });
    const a = expectError(wrongPassword, 'UNAUTHENTICATED');
    const b = expectError(unknownEmail, 'UNAUTHENTICATED');
    expect(a.message).toBe(b.message);
    expect(a.extensions).toEqual(b.extensions);
    expect(wrongPassword.body.data).toBeNull();
    expect(unknownEmail.body.data).toBeNull();
  });

  it('normalizes the email the way signUp does', async () => {
    const { email, password, userId } = await signUp(t);
    const loggedIn = await logIn(t, { email: `  ${email.toUpperCase()}\t `, password });
    expect(loggedIn.userId).toBe(userId);
  });

  it("creates a new session row with the request's user-agent on each login", async () => {
    const account = await signUp(t);
    const agents = ['AccountsTest/1.0 (first login)', 'AccountsTest/1.0 (second login)'];
    for (const agent of agents) {
      await logIn(t, account, { headers: { 'user-agent': agent } });
    }
    const sessions = await t.services.prisma.session.findMany({
      where: { userId: account.userId },
      orderBy: { createdAt: 'asc' },
    });
    expect(sessions).toHaveLength(3); // the sign-up's and one per login
    expect(new Set(sessions.map((s) => s.id)).size).toBe(3);
    expect(
      sessions
        .map((s) => s.userAgent)
        .filter((ua) => ua?.startsWith('AccountsTest/'))
        .sort(),
    ).toEqual([...agents].sort());
  });

  it("names the login's session in the access token's sid claim", async () => {
    const account = await signUp(t);
    const agent = 'AccountsTest/1.0 (sid check)';
    const loggedIn = await logIn(t, account, { headers: { 'user-agent': agent } });
    const claims = payloadOf(loggedIn.accessToken);
    expect(claims.sub).toBe(account.userId);
    const session = await t.services.prisma.session.findUnique({ where: { id: String(claims.sid) } });
    expect(session).toMatchObject({ userId: account.userId, userAgent: agent });
  });
});

describe('a stale or garbage Authorization header', () => {
  /** An access token of the right key and shape whose expiry has passed. */
  const expiredToken = () =>
    expiredTokenFor({
      userId: '00000000-0000-7000-8000-000000000000',
      sessionId: '00000000-0000-7000-8000-000000000000',
    });

  const headerKinds: Array<{ what: string; options: () => RequestOptions }> = [
    { what: 'the token "garbage"', options: () => ({ token: 'garbage' }) },
    { what: 'an expired access token', options: () => ({ token: expiredToken() }) },
    { what: 'a "Basic abc" header', options: () => ({ headers: { authorization: 'Basic abc' } }) },
  ];

  it('is really refused by a field that reads it', async () => {
    const response = await t.graphql(ME, {}, { token: expiredToken() });
    expectError(response, 'UNAUTHENTICATED', { reason: 'TOKEN_EXPIRED' });
  });

  it.each(headerKinds)('does not stop signUp when it is $what', async ({ options }) => {
    const email = uniqueEmail();
    const { signUp: payload } = expectNoErrors(
      await t.graphql(SIGN_UP, { email, password: STRONG_PASSWORD }, options()),
    );
    expect(payload.user.email).toBe(email);
  });

  it.each(headerKinds)('does not stop login when it is $what', async ({ options }) => {
    const account = await signUp(t);
    const loggedIn = await logIn(t, account, options());
    expect(loggedIn.email).toBe(account.email);
  });
});

describe('refresh tokens at rest', () => {
  it('stores the refresh token as its SHA-256 hash on the new session', async () => {
    const account = await signUp(t);
    const row = await t.services.prisma.refreshToken.findUnique({
      where: { tokenHash: new Uint8Array(sha256(account.refreshToken)) },
    });
    expect(row).not.toBeNull();
    expect(row?.sessionId).toBe(payloadOf(account.accessToken).sid);
    expect(Buffer.from(row!.tokenHash).equals(sha256(account.refreshToken))).toBe(true);
  });

  it('keeps no refresh token in clear in any column of any row', async () => {
    const signedUp = await signUp(t);
    const loggedIn = await logIn(t, signedUp);
    const everything = await everyRowAsText();
    for (const token of [signedUp.refreshToken, loggedIn.refreshToken]) {
      expect(everything).not.toContain(token);
    }
  });

  it('keeps no access token in any column of any row', async () => {
    const { accessToken } = await signUp(t);
    expect(await everyRowAsText()).not.toContain(accessToken);
  });

  it('issues refresh tokens of at least 43 base64url characters (256 bits)', async () => {
    const signedUp = await signUp(t);
    const loggedIn = await logIn(t, signedUp);
    for (const token of [signedUp.refreshToken, loggedIn.refreshToken]) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    }
    expect(signedUp.refreshToken).not.toBe(loggedIn.refreshToken);
  });
});

describe('passwords at rest', () => {
  it('stores a bcrypt hash of the password, not the password', async () => {
    const { password, userId } = await signUp(t);
    const row = await t.services.prisma.user.findUniqueOrThrow({ where: { id: userId } });
    expect(row.passwordHash.startsWith('$2')).toBe(true);
    expect(row.passwordHash).not.toContain(password);
    expect(await bcrypt.compare(password, row.passwordHash)).toBe(true);
  });

  it('exposes no password hash field on the GraphQL User type', async () => {
    const response = await t.graphql<{ __type: { fields: Array<{ name: string }> } | null }>(
      '{ __type(name: "User") { fields { name } } }',
    );
    const { __type } = expectNoErrors(response);
    const names = __type?.fields.map((f) => f.name) ?? [];
    expect(names).toContain('email');
    expect(names.filter((name) => /password|hash/i.test(name))).toEqual([]);
  });
});

describe('the logs', () => {
  it('contain no password and no token after successful and failed signUps and logins', async () => {
    const secrets: string[] = [];
    /** Notes the tokens a response handed out, so the check below covers them too. */
    const keep = <TData extends Partial<ResultOf<typeof SIGN_UP> & ResultOf<typeof LOGIN>>>(
      response: GraphQLResponse<TData>,
    ) => {
      const payload = response.body.data?.signUp ?? response.body.data?.login;
      if (payload) secrets.push(payload.accessToken, payload.refreshToken);
      return response;
    };

    const email = uniqueEmail('logs');
    const password = 'Tangerine-Quokka-Lighthouse-77';
    const shortPassword = 'Qz9#kW!';
    const wrongPassword = 'Tangerine-Quokka-Lighthouse-78';
    const takenPassword = 'Marmalade-Ocelot-Windmill-19';
    const otherEmail = uniqueEmail('logs');
    const emailPassword = otherEmail.toUpperCase();
    const tooLongPassword = `${PASSWORD_72_BYTES}Z`;
    secrets.push(password, shortPassword, wrongPassword, takenPassword, emailPassword, tooLongPassword);

    /** Only that the call failed: which code it failed with is other tests' business. */
    const expectFailure = (response: GraphQLResponse<unknown>) => {
      expect(response.body.errors?.length, JSON.stringify(response.body)).toBe(1);
      expect(response.body.data).toBeNull();
    };

    expectNoErrors(keep(await t.graphql(SIGN_UP, { email, password, name: 'Logger' })));
    expectFailure(keep(await t.graphql(SIGN_UP, { email: uniqueEmail(), password: shortPassword })));
    expectFailure(keep(await t.graphql(SIGN_UP, { email: otherEmail, password: emailPassword })));
    expectFailure(keep(await t.graphql(SIGN_UP, { email: uniqueEmail(), password: tooLongPassword })));
    expectFailure(keep(await t.graphql(SIGN_UP, { email, password: takenPassword })));
    expectFailure(keep(await t.graphql(LOGIN, { email, password: wrongPassword })));
    expectFailure(keep(await t.graphql(LOGIN, { email: uniqueEmail('nobody'), password })));
    const { login: payload } = expectNoErrors(keep(await t.graphql(LOGIN, { email, password }, { token: 'garbage' })));
    expectNoErrors(await t.graphql(ME, {}, { token: payload.accessToken }));

    // Both successes handed out a pair; the logs must hold none of it.
    expect(secrets.length).toBe(6 + 4);
    const logText = t.logText();
    for (const secret of secrets) {
      expect(logText, `the log contains ${secret}`).not.toContain(secret);
    }
  });
});
