import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { keyIdOf } from '../../src/crypto/signing-keys.ts';
import { epochSeconds } from '../../src/clock.ts';
import type { MeQuery } from '../generated/graphql.ts';
import {
  accountOf,
  claimsFor,
  createTestApp,
  expectError,
  expectNoErrors,
  forge,
  headerOf,
  LOGIN,
  ME,
  payloadOf,
  REFRESH,
  SIGN_UP,
  STRONG_PASSWORD,
  signUp,
  TEST_SECRET,
  uniqueEmail,
  type Account,
  type GraphQLResponse,
  type RequestOptions,
  type TestApp,
} from '../fixtures/index.ts';
import { testWithApp } from '../fixtures/suite.ts';

/** Another secret of the right length, which the app does not know. */
const OTHER_SECRET = randomBytes(32).toString('base64url');

const it = testWithApp({}, { recordQueries: true });
let t: TestApp;
it.beforeAll(({ app }) => {
  t = app;
});

// ---------------------------------------------------------------------------
// Helpers: accounts, token parts and forged tokens

const signUpFresh = (name = 'Ada') => signUp(t, { prefix: 'tokens', name });

/** The claims of a token issued now by `app`'s clock, which tests move forward. */
const claimsNow = (subject: Account, app = t) => claimsFor(subject, epochSeconds(app.clock));

const base64urlJson = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

const me = (options: RequestOptions) => t.graphql(ME, {}, options);

/** A refusal of `me`: one UNAUTHENTICATED error with `reason`, and `me` null. */
function expectRefused(
  response: GraphQLResponse<MeQuery>,
  reason: 'TOKEN_EXPIRED' | 'TOKEN_INVALID' | 'TOKEN_REVOKED',
) {
  expect(response.status).toBe(200);
  const error = expectError(response, 'UNAUTHENTICATED', reason);
  expect(error.path).toEqual(['me']);
  expect(response.body.data).toEqual({ me: null });
}

// ---------------------------------------------------------------------------

describe('me without a token', () => {
  it('returns null and no errors when no Authorization header is sent', async () => {
    const response = await me({});
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toEqual({ me: null });
  });
});

describe('an issued access token', () => {
  it('returns its user from me', async () => {
    const account = await signUpFresh('Grace');
    const { me: user } = expectNoErrors(await me({ token: account.accessToken }));
    expect(user).toMatchObject({ id: account.userId, email: account.email, name: 'Grace', role: 'USER' });
  });

  it('has a header with typ at+jwt, alg HS256 and the kid of the signing secret', async () => {
    const { accessToken } = await signUpFresh();
    expect(headerOf(accessToken)).toEqual({ alg: 'HS256', typ: 'at+jwt', kid: keyIdOf(TEST_SECRET) });
  });

  it('carries sub, sid, iat, exp, iss, aud, jti, amr and auth_time, lasting 900 seconds', async () => {
    const account = await signUpFresh();
    const before = epochSeconds(t.clock);
    const payload = payloadOf(account.accessToken);
    expect(Object.keys(payload).sort()).toEqual(['amr', 'aud', 'auth_time', 'exp', 'iat', 'iss', 'jti', 'sid', 'sub']);
    expect(payload).toMatchObject({ sub: account.userId, iss: 'tollgate', aud: 'tollgate', amr: ['pwd'] });
    // A password sign-up authenticated the session just now.
    expect(payload.auth_time).toBe(payload.iat);
    expect(payload.sid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(typeof payload.jti).toBe('string');
    expect(payload.jti).not.toBe('');
    expect(typeof payload.iat).toBe('number');
    expect(typeof payload.exp).toBe('number');
    expect(Number(payload.exp) - Number(payload.iat)).toBe(900);
    expect(Math.abs(Number(payload.iat) - before)).toBeLessThanOrEqual(5);
  });

  it('holds no email, name or other user data', async () => {
    const account = await signUpFresh('Distinctive Name');
    const decoded = JSON.stringify(headerOf(account.accessToken)) + JSON.stringify(payloadOf(account.accessToken));
    for (const text of [decoded, account.accessToken]) {
      expect(text).not.toContain(account.email);
      expect(text.toLowerCase()).not.toContain('email');
      expect(text).not.toContain('Distinctive Name');
      expect(text).not.toContain('role');
      expect(text.toLowerCase()).not.toContain('password');
    }
  });
});

describe('refused tokens', () => {
  let account: Account;
  let other: Account;
  beforeAll(async () => {
    account = await signUpFresh();
    other = await signUpFresh();
  });

  it('accepts a token forged exactly as the app signs (so the refusals below each test one fault)', async () => {
    const { me: user } = expectNoErrors(await me({ token: forge(claimsNow(account)) }));
    expect(user?.id).toBe(account.userId);
  });

  it('refuses a correctly signed token whose exp has passed as TOKEN_EXPIRED', async () => {
    const claims = claimsNow(account);
    const token = forge(claims);
    expectNoErrors(await me({ token }));
    t.clock.advance(Number(claims.exp) - epochSeconds(t.clock) + 1);
    expectRefused(await me({ token }), 'TOKEN_EXPIRED');
  });

  it('refuses a token signed with another secret under the right kid as TOKEN_INVALID', async () => {
    const token = forge(claimsNow(account), { key: OTHER_SECRET });
    expect(headerOf(token).kid).toBe(keyIdOf(TEST_SECRET));
    expectRefused(await me({ token }), 'TOKEN_INVALID');
  });

  it('refuses an alg none token with an empty signature as TOKEN_INVALID', async () => {
    const token = `${base64urlJson({ alg: 'none', typ: 'at+jwt', kid: keyIdOf(TEST_SECRET) })}.${base64urlJson(claimsNow(account))}.`;
    expectRefused(await me({ token }), 'TOKEN_INVALID');
  });

  it('refuses an HS512 token signed with the right secret as TOKEN_INVALID', async () => {
    const token = forge(claimsNow(account), { algorithm: 'HS512' });
    expect(headerOf(token).alg).toBe('HS512');
    expectRefused(await me({ token }), 'TOKEN_INVALID');
  });

  it('refuses an RS256 token as TOKEN_INVALID', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const token = forge(claimsNow(account), { algorithm: 'RS256', key: privateKey });
    expect(headerOf(token).alg).toBe('RS256');
    expectRefused(await me({ token }), 'TOKEN_INVALID');
  });

  it('refuses a token from another issuer as TOKEN_INVALID', async () => {
    const token = forge({ ...claimsNow(account), iss: 'someone-else' });
    expectRefused(await me({ token }), 'TOKEN_INVALID');
  });

  it('refuses a token for another audience as TOKEN_INVALID', async () => {
    const token = forge({ ...claimsNow(account), aud: 'another-service' });
    expectRefused(await me({ token }), 'TOKEN_INVALID');
  });

  it('refuses a token of typ JWT instead of at+jwt as TOKEN_INVALID', async () => {
    const token = forge(claimsNow(account), { header: { typ: 'JWT' } });
    expectRefused(await me({ token }), 'TOKEN_INVALID');
  });

  it('refuses a token whose kid names no known key as TOKEN_INVALID', async () => {
    const token = forge(claimsNow(account), { header: { kid: keyIdOf(OTHER_SECRET) } });
    expectRefused(await me({ token }), 'TOKEN_INVALID');
  });

  it.each(['not.a.jwt', 'abc'])('refuses the garbage token %j as TOKEN_INVALID', async (token) => {
    expectRefused(await me({ token }), 'TOKEN_INVALID');
  });

  it('refuses a Basic Authorization header as TOKEN_INVALID', async () => {
    expectRefused(await me({ headers: { authorization: 'Basic dXNlcjpwYXNz' } }), 'TOKEN_INVALID');
  });

  it('refuses Bearer with nothing after it as TOKEN_INVALID', async () => {
    expectRefused(await me({ headers: { authorization: 'Bearer' } }), 'TOKEN_INVALID');
  });

  it('refuses a correctly signed token whose sid is not a session as TOKEN_REVOKED', async () => {
    const token = forge({ ...claimsNow(account), sid: randomUUID() });
    expectRefused(await me({ token }), 'TOKEN_REVOKED');
  });

  it("refuses a correctly signed token whose sub is another user than the session's as TOKEN_REVOKED", async () => {
    const token = forge({ ...claimsNow(account), sub: other.userId });
    expectRefused(await me({ token }), 'TOKEN_REVOKED');
  });
});

describe('the Authorization scheme', () => {
  it.each(['bearer', 'BEARER'])('is matched without regard to case: %s <token> returns the user', async (scheme) => {
    const account = await signUpFresh();
    const { me: user } = expectNoErrors(await me({ headers: { authorization: `${scheme} ${account.accessToken}` } }));
    expect(user?.id).toBe(account.userId);
  });
});

describe('the session behind a token', () => {
  /** Signs up, checks the token works, applies `end` and returns the account. */
  async function endSessionOf(end: (account: Account) => Promise<unknown>): Promise<Account> {
    const account = await signUpFresh();
    expect(expectNoErrors(await me({ token: account.accessToken })).me?.id).toBe(account.userId);
    await end(account);
    return account;
  }

  it('stops its access token at once when revoked: TOKEN_REVOKED', async () => {
    const account = await endSessionOf(({ sessionId }) =>
      t.services.prisma.session.update({ where: { id: sessionId }, data: { revokedAt: t.clock.now() } }),
    );
    expectRefused(await me({ token: account.accessToken }), 'TOKEN_REVOKED');
  });

  it('stops its access token once past expiresAt: TOKEN_REVOKED', async () => {
    // Kept in use to the end, so its newest access token is still within its lifetime there.
    let account = await signUpFresh();
    const { expiresAt } = await t.services.prisma.session.findUniqueOrThrow({ where: { id: account.sessionId } });
    const secondsLeft = () => (expiresAt.getTime() - t.clock.now().getTime()) / 1000;
    while (secondsLeft() > 60) {
      t.clock.advance(Math.min(t.services.limits.refreshTokenTtlSeconds - 60, secondsLeft() - 30));
      const { refresh } = expectNoErrors(await t.graphql(REFRESH, { refreshToken: account.refreshToken }));
      account = accountOf(refresh, account.password);
    }
    expect(expectNoErrors(await me({ token: account.accessToken })).me?.id).toBe(account.userId);
    t.clock.advance(secondsLeft());
    expectRefused(await me({ token: account.accessToken }), 'TOKEN_REVOKED');
  });

  it('stops its access token once idle longer than REFRESH_TOKEN_TTL: TOKEN_REVOKED', async () => {
    const account = await endSessionOf(async () => t.clock.advance(t.config.tokens.refreshTokenTtlSeconds + 60));
    // An issued token expires long before its session goes idle; this one stands for a token still in its lifetime.
    expectRefused(await me({ token: forge(claimsNow(account)) }), 'TOKEN_REVOKED');
  });

  it('stops its access token once the user is deleted: TOKEN_REVOKED', async () => {
    const account = await endSessionOf(({ userId }) => t.services.prisma.user.delete({ where: { id: userId } }));
    expectRefused(await me({ token: account.accessToken }), 'TOKEN_REVOKED');
  });
});

describe('database round trips', () => {
  it('a me request with a valid token sends exactly one SQL statement', async () => {
    const account = await signUpFresh();
    t.queries.length = 0;
    expectNoErrors(await me({ token: account.accessToken }));
    expect(t.queries, t.queries.join('\n')).toHaveLength(1);
  });

  it('a me request with no Authorization header sends none', async () => {
    t.queries.length = 0;
    expectNoErrors(await me({}));
    expect(t.queries, t.queries.join('\n')).toHaveLength(0);
  });
});

describe('signing in with a stale token in the header', () => {
  /** An account whose access token has expired since, by the service's clock. */
  async function withExpiredToken(): Promise<Account> {
    const account = await signUpFresh();
    t.clock.advance(t.config.tokens.accessTokenTtlSeconds + 1);
    expectRefused(await me({ token: account.accessToken }), 'TOKEN_EXPIRED');
    return account;
  }

  it('login still succeeds when an expired access token is sent', async () => {
    const account = await withExpiredToken();
    const response = await t.graphql(
      LOGIN,
      { email: account.email, password: STRONG_PASSWORD },
      { token: account.accessToken },
    );
    const { login } = expectNoErrors(response);
    expect(login.user.id).toBe(account.userId);
    expect(expectNoErrors(await me({ token: login.accessToken })).me?.id).toBe(account.userId);
  });

  it('signUp still succeeds when an expired access token is sent', async () => {
    const account = await withExpiredToken();
    const email = uniqueEmail('tokens');
    const response = await t.graphql(SIGN_UP, { email, password: STRONG_PASSWORD }, { token: account.accessToken });
    const { signUp } = expectNoErrors(response);
    expect(signUp.user.email).toBe(email);
  });
});

describe('a key ring of two secrets', () => {
  const FIRST = 'first-secret-of-at-least-32-bytes!!';
  const SECOND = 'second-secret-of-at-least-32-bytes!';
  let ring: TestApp;
  beforeAll(async () => {
    ring = await createTestApp({ JWT_SECRET: `${FIRST},${SECOND}` }, { sharing: t });
  });
  afterAll(() => ring.close());

  it('signs new tokens with the first secret', async () => {
    const account = await signUp(ring, { prefix: 'tokens' });
    expect(headerOf(account.accessToken).kid).toBe(keyIdOf(FIRST));
    expect(() => jwt.verify(account.accessToken, FIRST, { algorithms: ['HS256'] })).not.toThrow();
    const { me: user } = expectNoErrors(await ring.graphql(ME, {}, { token: account.accessToken }));
    expect(user?.id).toBe(account.userId);
  });

  it('accepts a token signed with the second secret under its kid', async () => {
    const account = await signUp(ring, { prefix: 'tokens' });
    const token = forge(claimsNow(account, ring), { key: SECOND, header: { kid: keyIdOf(SECOND) } });
    const { me: user } = expectNoErrors(await ring.graphql(ME, {}, { token }));
    expect(user?.id).toBe(account.userId);
  });
});
