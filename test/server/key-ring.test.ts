import { createPublicKey, generateKeyPairSync, verify, type JsonWebKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { keyIdOf } from '../../src/crypto/signing-keys.ts';
import { loadSettings } from '../../src/settings.ts';
import {
  claimsFor,
  createTestApp,
  expectError,
  expectNoErrors,
  headerOf,
  LOGOUT_ALL,
  ME,
  payloadOf,
  signUp,
  TEST_SECRET,
  type TestApp,
  PRODUCTION,
} from '../fixtures/index.ts';
import { testWithApp } from '../fixtures/suite.ts';

const pem = (key: { export(options: { type: 'pkcs8'; format: 'pem' }): string | Buffer }) =>
  key.export({ type: 'pkcs8', format: 'pem' }).toString();

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ecNext = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });

interface Jwks {
  keys: Array<JsonWebKey & { kid: string; alg: string; use: string }>;
}

/** What another service does with a Tollgate token: find the key by kid in the JWKS, check the signature. */
function verifyLikeADownstreamService(token: string, jwks: Jwks): Record<string, unknown> {
  const [encodedHeader, encodedPayload, encodedSignature] = token.split('.');
  const header = headerOf(token);
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  if (!jwk || !encodedSignature) throw new Error('no key in the JWKS for this token');
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  const signed = Buffer.from(`${encodedHeader}.${encodedPayload}`);
  const signature = Buffer.from(encodedSignature, 'base64url');
  const valid =
    jwk.alg === 'ES256'
      ? verify('sha256', signed, { key, dsaEncoding: 'ieee-p1363' }, signature)
      : verify('sha256', signed, key, signature);
  if (!valid) throw new Error('bad signature');
  return payloadOf(token);
}

const signUpOn = (t: TestApp) => signUp(t, { prefix: 'keys' });

// The apps of other settings below share this one's database and hashing thread.
const it = testWithApp({ JWT_PRIVATE_KEY: `${pem(ec.privateKey)}\n${pem(ecNext.privateKey)}` });
let es: TestApp;
let base: string;
it.beforeAll(async ({ app }) => {
  es = app;
  base = new URL(await es.listen()).origin;
});

describe('with JWT_PRIVATE_KEY (ES256), served on a real port', () => {
  it('publishes every verifying public key at /.well-known/jwks.json, with caching headers', async () => {
    const response = await fetch(`${base}/.well-known/jwks.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/json/);
    expect(response.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const jwks = (await response.json()) as Jwks;
    expect(jwks.keys).toHaveLength(2);
    for (const key of jwks.keys) {
      expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
      expect(key).not.toHaveProperty('d');
    }
  });

  it('signs with the first key, and a downstream service verifies the token with the JWKS alone', async () => {
    const { accessToken, userId } = await signUpOn(es);
    expect(headerOf(accessToken)).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    const jwks = (await (await fetch(`${base}/.well-known/jwks.json`)).json()) as Jwks;
    expect(headerOf(accessToken).kid).toBe(jwks.keys[0]!.kid);
    const claims = verifyLikeADownstreamService(accessToken, jwks);
    expect(claims).toMatchObject({ sub: userId, iss: 'tollgate', aud: 'tollgate' });
  });

  it("leaves a signature-only check accepting a token after logoutAll until its exp: the README's trade-off", async () => {
    const account = await signUpOn(es);
    const jwks = (await (await fetch(`${base}/.well-known/jwks.json`)).json()) as Jwks;
    expectNoErrors(await es.graphql(LOGOUT_ALL, {}, { token: account.accessToken }));
    // Tollgate checks the session on every request; a service that checks the signature cannot know.
    expectError(await es.graphql(ME, {}, { token: account.accessToken }), 'UNAUTHENTICATED', 'TOKEN_REVOKED');
    const claims = verifyLikeADownstreamService(account.accessToken, jwks);
    // Bounded by the token's life: ACCESS_TOKEN_TTL, 15 minutes.
    expect(Number(claims.exp) - Number(claims.iat)).toBe(es.config.tokens.accessTokenTtlSeconds);
    expect(es.config.tokens.accessTokenTtlSeconds).toBe(15 * 60);
  });

  it('still accepts tokens signed by the second key, so keys rotate without signing anyone out', async () => {
    const account = await signUpOn(es);
    const jwks = (await (await fetch(`${base}/.well-known/jwks.json`)).json()) as Jwks;
    const secondKid = jwks.keys[1]!.kid;
    const claims = claimsFor(account);
    const token = jwt.sign(claims, pem(ecNext.privateKey), {
      algorithm: 'ES256',
      header: { alg: 'ES256', typ: 'at+jwt', kid: secondKid },
    });
    const { me } = expectNoErrors(await es.graphql(ME, {}, { token }));
    expect(me?.id).toBe(account.userId);
  });

  it('still accepts tokens signed with JWT_SECRET, for a move from HS256 to ES256', async () => {
    const account = await signUpOn(es);
    const claims = claimsFor(account);
    const token = jwt.sign(claims, TEST_SECRET, {
      algorithm: 'HS256',
      header: { alg: 'HS256', typ: 'at+jwt', kid: keyIdOf(TEST_SECRET) },
    });
    expectNoErrors(await es.graphql(ME, {}, { token }));
  });

  it('refuses an HS256 token made with the public key as its secret (algorithm confusion)', async () => {
    const account = await signUpOn(es);
    const jwks = (await (await fetch(`${base}/.well-known/jwks.json`)).json()) as Jwks;
    const publicPem = createPublicKey({ key: jwks.keys[0]!, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
    const claims = claimsFor(account);
    const token = jwt.sign(claims, publicPem, {
      algorithm: 'HS256',
      header: { alg: 'HS256', typ: 'at+jwt', kid: jwks.keys[0]!.kid },
    });
    expectError(await es.graphql(ME, {}, { token }), 'UNAUTHENTICATED', 'TOKEN_INVALID');
  });
});

describe('with an RS256 key', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ JWT_PRIVATE_KEY: pem(rsa.privateKey) }, { sharing: es });
  });
  afterAll(() => t.close());

  it('signs RS256 tokens that verify with the published RSA key', async () => {
    const { accessToken } = await signUpOn(t);
    expect(headerOf(accessToken).alg).toBe('RS256');
    const jwks = (await (await t.fetch('/.well-known/jwks.json')).json()) as Jwks;
    expect(jwks.keys).toEqual([expect.objectContaining({ kty: 'RSA', alg: 'RS256', use: 'sig' })]);
    expect(verifyLikeADownstreamService(accessToken, jwks).iss).toBe('tollgate');
    expectNoErrors(await t.graphql(ME, {}, { token: accessToken }));
  });
});

describe('with secrets only', () => {
  it('publishes an empty key set', async () => {
    const t = await createTestApp({}, { sharing: es });
    try {
      const response = await t.fetch('/.well-known/jwks.json');
      expect(await response.json()).toEqual({ keys: [] });
    } finally {
      await t.close();
    }
  });
});

describe('JWT_PRIVATE_KEY settings', () => {
  const errorsOf = (env: Record<string, string>) => {
    const result = loadSettings(env);
    return result.ok ? [] : result.errors;
  };

  it('accepts a key written with \\n escapes, as env files often hold it', () => {
    const escaped = pem(ec.privateKey).replace(/\n/g, '\\n');
    const result = loadSettings({ JWT_PRIVATE_KEY: escaped });
    expect(result.ok && result.config.tokens.privateKeys).toHaveLength(1);
  });

  it('refuses keys that are not P-256 or RSA of 2048 bits, naming the variable', () => {
    const p384 = pem(generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey);
    const rsa1024 = pem(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey);
    expect(errorsOf({ JWT_PRIVATE_KEY: p384 })).toEqual([
      expect.stringMatching(/^JWT_PRIVATE_KEY: must be an EC P-256 key/),
    ]);
    expect(errorsOf({ JWT_PRIVATE_KEY: rsa1024 })).toEqual([
      expect.stringMatching(/^JWT_PRIVATE_KEY: must be an EC P-256 key/),
    ]);
    expect(errorsOf({ JWT_PRIVATE_KEY: `${pem(ec.privateKey)}${p384}` })).toEqual([
      expect.stringMatching(/^JWT_PRIVATE_KEY: key #2 /),
    ]);
    expect(errorsOf({ JWT_PRIVATE_KEY: 'not a key' })).toEqual([
      expect.stringMatching(/^JWT_PRIVATE_KEY: holds no PEM/),
    ]);
  });

  it('lets production start with a private key and no JWT_SECRET', () => {
    expect(loadSettings({ ...PRODUCTION, JWT_SECRET: '', JWT_PRIVATE_KEY: pem(ec.privateKey) }).ok).toBe(true);
  });
});
