import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../src/settings.ts';

const SECRET = 'a-production-secret-of-at-least-32-bytes';
/** What production needs besides a secret: a way to send mail. */
const MAIL = { EMAIL_TRANSPORT: 'smtp', SMTP_URL: 'smtp://mail.example.com:587' };

function errorsOf(env: Record<string, string>) {
  const result = loadSettings(env);
  if (result.ok) throw new Error('expected the settings to be refused');
  return result.errors;
}

function configOf(env: Record<string, string>) {
  const result = loadSettings(env);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.config;
}

describe('settings', () => {
  it('defaults to the contract: port 4000 on localhost, embedded database in ./data, 15 minute tokens', () => {
    const config = configOf({});
    expect(config.http).toMatchObject({
      port: 4000,
      host: 'localhost',
      graphiql: true,
      introspection: true,
      corsOrigins: '*',
    });
    expect(config.database).toMatchObject({ url: undefined, dataDir: './data' });
    expect(config.tokens).toMatchObject({
      secrets: undefined,
      issuer: 'tollgate',
      audience: 'tollgate',
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 30 * 86400,
      sessionMaxAgeSeconds: 90 * 86400,
      refreshReuseGraceSeconds: 10,
    });
    expect(config.passwords.cost).toBe(12);
  });

  it('defaults the rate limits to the contract', () => {
    const minutes = (n: number) => n * 60;
    expect(configOf({}).rateLimit).toEqual({
      enabled: true,
      limits: {
        'login-failures-email-ip': { points: 10, durationSeconds: minutes(15) },
        'login-failures-email': { points: 50, durationSeconds: minutes(60) },
        'login-ip': { points: 100, durationSeconds: minutes(15) },
        'login-failures-ip': { points: 30, durationSeconds: minutes(15) },
        'signup-ip': { points: 20, durationSeconds: minutes(60) },
        'refresh-ip': { points: 300, durationSeconds: minutes(15) },
        'mail-ip': { points: 20, durationSeconds: minutes(60) },
        'mail-address': { points: 3, durationSeconds: minutes(60) },
        'second-factor-account': { points: 10, durationSeconds: minutes(60) },
        'sign-in-notice-account': { points: 5, durationSeconds: minutes(24 * 60) },
      },
    });
    expect(configOf({ RATE_LIMIT_LOGIN_FAILURES_IP: '5/1m' }).rateLimit.limits['login-failures-ip']).toEqual({
      points: 5,
      durationSeconds: 60,
    });
  });

  it('reads durations as seconds, minutes, hours or days', () => {
    expect(configOf({ ACCESS_TOKEN_TTL: '900' }).tokens.accessTokenTtlSeconds).toBe(900);
    expect(configOf({ ACCESS_TOKEN_TTL: '15m' }).tokens.accessTokenTtlSeconds).toBe(900);
    expect(configOf({ ACCESS_TOKEN_TTL: '1h' }).tokens.accessTokenTtlSeconds).toBe(3600);
    expect(configOf({ REFRESH_TOKEN_TTL: '7d' }).tokens.refreshTokenTtlSeconds).toBe(7 * 86400);
  });

  it('treats an empty variable as unset', () => {
    expect(configOf({ PORT: '', JWT_SECRET: '', ACCESS_TOKEN_TTL: '' }).http.port).toBe(4000);
  });

  it('is frozen', () => {
    const config = configOf({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.tokens)).toBe(true);
  });

  it('refuses a bad value with one line naming the variable', () => {
    expect(errorsOf({ PORT: 'eighty' })).toEqual([expect.stringMatching(/^PORT: /)]);
    expect(errorsOf({ ACCESS_TOKEN_TTL: '15 minutes' })).toEqual([expect.stringMatching(/^ACCESS_TOKEN_TTL: .*15m/)]);
    expect(errorsOf({ BCRYPT_COST: '3' })).toEqual([expect.stringMatching(/^BCRYPT_COST: must be at least 4/)]);
    expect(errorsOf({ DATABASE_URL: 'mysql://x' })).toEqual([expect.stringMatching(/^DATABASE_URL: /)]);
    expect(errorsOf({ LOG_LEVEL: 'loud' })).toEqual([expect.stringMatching(/^LOG_LEVEL: /)]);
  });

  it('lists every bad variable at once', () => {
    const errors = errorsOf({ PORT: '-1', BCRYPT_COST: 'x' });
    expect(errors).toHaveLength(2);
    expect(errors.join('\n')).toMatch(/PORT/);
    expect(errors.join('\n')).toMatch(/BCRYPT_COST/);
  });

  it('refuses a JWT secret shorter than 32 bytes without echoing it', () => {
    const errors = errorsOf({ JWT_SECRET: 'short-secret' });
    expect(errors).toEqual(['JWT_SECRET: must be at least 32 bytes (got 12)']);
    expect(errors.join()).not.toContain('short-secret');
  });

  it('reads several comma-separated secrets, the first signing', () => {
    const other = 'another-secret-of-at-least-32-bytes!!';
    expect(configOf({ JWT_SECRET: `${SECRET}, ${other}` }).tokens.secrets).toEqual([SECRET, other]);
    expect(errorsOf({ JWT_SECRET: `${SECRET},tiny` })).toEqual([
      'JWT_SECRET: secret #2 must be at least 32 bytes (got 4)',
    ]);
  });

  it('requires a secret in production', () => {
    expect(errorsOf({ NODE_ENV: 'production', ...MAIL })).toEqual([
      expect.stringMatching(/^JWT_SECRET: required in production/),
    ]);
  });

  it('requires a mail transport in production, and refuses the log transport there', () => {
    expect(errorsOf({ NODE_ENV: 'production', JWT_SECRET: SECRET })).toEqual([
      expect.stringMatching(/^EMAIL_TRANSPORT: required in production/),
    ]);
    expect(errorsOf({ NODE_ENV: 'production', JWT_SECRET: SECRET, EMAIL_TRANSPORT: 'log' })).toEqual([
      expect.stringMatching(/^EMAIL_TRANSPORT: log writes reset and verification links to the log/),
    ]);
    expect(errorsOf({ EMAIL_TRANSPORT: 'smtp' })).toEqual([
      expect.stringMatching(/^SMTP_URL: required with EMAIL_TRANSPORT=smtp/),
    ]);
  });

  it("reads the mail settings, with the log transport and links to the service's own pages by default", () => {
    expect(configOf({}).mail).toEqual({
      transport: { kind: 'log' },
      from: 'Tollgate <no-reply@localhost>',
      appName: 'Tollgate',
      links: {
        passwordReset: '/account/reset-password?token={token}',
        emailVerification: '/account/verify-email?token={token}',
        emailChange: '/account/confirm-email-change?token={token}',
        secureAccount: '/account/secure-account?token={token}',
      },
      passwordResetTtlSeconds: 30 * 60,
      emailVerificationTtlSeconds: 24 * 3600,
      requireEmailVerification: false,
      newSignInNotice: true,
    });
    const custom = configOf({
      ...MAIL,
      APP_URL: 'https://app.example.com/',
      EMAIL_VERIFICATION_URL: 'https://app.example.com/#/verify/{token}',
      REQUIRE_EMAIL_VERIFICATION: 'on',
      NEW_SIGN_IN_MAIL: 'off',
    }).mail;
    expect(custom.transport).toEqual({ kind: 'smtp', url: MAIL.SMTP_URL });
    expect(custom.links.passwordReset).toBe('https://app.example.com/reset-password?token={token}');
    expect(custom.links.emailVerification).toBe('https://app.example.com/#/verify/{token}');
    expect(custom.requireEmailVerification).toBe(true);
    expect(custom.newSignInNotice).toBe(false);
  });

  it('points the links at APP_URL when set, and in production at http://localhost:3000 unless ACCOUNT_PAGES=on', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: SECRET, ...MAIL };
    expect(configOf({ APP_URL: 'https://app.example.com' }).mail.links.secureAccount).toBe(
      'https://app.example.com/secure-account?token={token}',
    );
    expect(configOf(production).http.accountPages).toBe(false);
    expect(configOf(production).mail.links.passwordReset).toBe('http://localhost:3000/reset-password?token={token}');
    expect(errorsOf({ ...production, ACCOUNT_PAGES: 'on' })).toEqual([
      expect.stringMatching(/^PUBLIC_URL: required in production/),
    ]);
    const pages = configOf({ ...production, ACCOUNT_PAGES: 'on', PUBLIC_URL: 'https://auth.example.com/' });
    expect(pages.http).toMatchObject({ accountPages: true, publicUrl: 'https://auth.example.com' });
    expect(pages.mail.links.passwordReset).toBe('/account/reset-password?token={token}');
    expect(configOf({ ACCOUNT_PAGES: 'off' }).http.accountPages).toBe(false);
    expect(errorsOf({ PUBLIC_URL: 'auth.example.com' })).toEqual([
      expect.stringMatching(/^PUBLIC_URL: must be an http/),
    ]);
  });

  it('refuses a link template without {token} and an SMTP URL that is not one, without echoing it', () => {
    expect(errorsOf({ PASSWORD_RESET_URL: 'https://app.example.com/reset' })).toEqual([
      expect.stringMatching(/^PASSWORD_RESET_URL: must hold \{token\}/),
    ]);
    const errors = errorsOf({ EMAIL_TRANSPORT: 'smtp', SMTP_URL: 'https://user:s3cret-pass@mail.example.com' });
    expect(errors).toEqual([expect.stringMatching(/^SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL/)]);
    expect(errors.join('\n')).not.toContain('s3cret-pass');
  });

  it('refuses a bcrypt cost below 10 in production only', () => {
    expect(errorsOf({ NODE_ENV: 'production', JWT_SECRET: SECRET, ...MAIL, BCRYPT_COST: '9' })).toEqual([
      'BCRYPT_COST: must be at least 10 in production (got 9)',
    ]);
    expect(configOf({ BCRYPT_COST: '4' }).passwords.cost).toBe(4);
  });

  it('turns GraphiQL, introspection and every CORS origin off in production unless asked', () => {
    const production = configOf({ NODE_ENV: 'production', JWT_SECRET: SECRET, ...MAIL });
    expect(production.http).toMatchObject({ graphiql: false, introspection: false, corsOrigins: [] });
    const opened = configOf({
      NODE_ENV: 'production',
      JWT_SECRET: SECRET,
      ...MAIL,
      GRAPHIQL: '1',
      INTROSPECTION: 'true',
      CORS_ORIGINS: 'https://app.example.com, https://admin.example.com',
    });
    expect(opened.http).toMatchObject({
      graphiql: true,
      introspection: true,
      corsOrigins: ['https://app.example.com', 'https://admin.example.com'],
    });
  });

  it('accepts REFRESH_REUSE_GRACE=0 to turn the grace window off', () => {
    expect(configOf({ REFRESH_REUSE_GRACE: '0' }).tokens.refreshReuseGraceSeconds).toBe(0);
  });

  it('refuses an idle limit longer than the absolute one', () => {
    expect(errorsOf({ REFRESH_TOKEN_TTL: '100d', SESSION_MAX_AGE: '90d' })).toEqual([
      expect.stringMatching(/^REFRESH_TOKEN_TTL: /),
    ]);
  });

  it('turns metrics on outside production, on the public port', () => {
    expect(configOf({}).metrics).toEqual({ enabled: true, port: undefined });
    expect(configOf({ NODE_ENV: 'test' }).metrics).toEqual({ enabled: true, port: undefined });
    expect(configOf({ METRICS: 'off' }).metrics).toEqual({ enabled: false, port: undefined });
  });

  it('turns metrics off in production unless METRICS=on', () => {
    expect(configOf({ NODE_ENV: 'production', JWT_SECRET: SECRET, ...MAIL }).metrics.enabled).toBe(false);
    expect(configOf({ NODE_ENV: 'production', JWT_SECRET: SECRET, ...MAIL, METRICS: 'on' }).metrics.enabled).toBe(true);
  });

  it('reads METRICS_PORT, which must differ from PORT and needs the metrics on', () => {
    expect(configOf({ METRICS_PORT: '9464' }).metrics).toEqual({ enabled: true, port: 9464 });
    expect(
      configOf({ NODE_ENV: 'production', JWT_SECRET: SECRET, ...MAIL, METRICS: 'on', METRICS_PORT: '9464' }).metrics
        .port,
    ).toBe(9464);
    expect(errorsOf({ METRICS_PORT: '4000' })).toEqual(['METRICS_PORT: must differ from PORT (both are 4000)']);
    expect(errorsOf({ METRICS_PORT: 'ninety' })).toEqual([
      expect.stringMatching(/^METRICS_PORT: must be a whole number/),
    ]);
    expect(errorsOf({ METRICS: 'off', METRICS_PORT: '9464' })).toEqual([
      expect.stringMatching(/^METRICS_PORT: metrics are off/),
    ]);
    expect(errorsOf({ NODE_ENV: 'production', JWT_SECRET: SECRET, ...MAIL, METRICS_PORT: '9464' })).toEqual([
      expect.stringMatching(/^METRICS_PORT: metrics are off .*METRICS=on/),
    ]);
  });

  it('refuses a METRICS value other than on or off', () => {
    expect(errorsOf({ METRICS: 'yes' })).toEqual([expect.stringMatching(/^METRICS: /)]);
  });

  it('offers passkeys on any localhost page outside production, and none in production without WEBAUTHN_RP_ID', () => {
    expect(configOf({}).methods.passkeys).toEqual({
      rpId: 'localhost',
      rpName: 'Tollgate',
      origins: [],
      anyLocalhostPort: true,
    });
    expect(configOf({ NODE_ENV: 'production', JWT_SECRET: SECRET, ...MAIL }).methods.passkeys).toBeUndefined();
  });

  it('reads the relying party and its origins; production lists them', () => {
    const production = configOf({
      NODE_ENV: 'production',
      JWT_SECRET: SECRET,
      ...MAIL,
      WEBAUTHN_RP_ID: 'example.com',
      WEBAUTHN_RP_NAME: 'Example',
      WEBAUTHN_ORIGINS: 'https://example.com, https://app.example.com/',
    });
    expect(production.methods.passkeys).toEqual({
      rpId: 'example.com',
      rpName: 'Example',
      origins: ['https://example.com', 'https://app.example.com'],
      anyLocalhostPort: false,
    });
    expect(errorsOf({ NODE_ENV: 'production', JWT_SECRET: SECRET, ...MAIL, WEBAUTHN_RP_ID: 'example.com' })).toEqual([
      expect.stringMatching(/^WEBAUTHN_ORIGINS: required/),
    ]);
  });

  it('refuses a relying party that is not a domain, and an origin off it or not https, one line each', () => {
    expect(errorsOf({ WEBAUTHN_RP_ID: 'https://example.com' })).toEqual([expect.stringMatching(/^WEBAUTHN_RP_ID: /)]);
    expect(
      errorsOf({ WEBAUTHN_RP_ID: 'example.com', WEBAUTHN_ORIGINS: 'https://evil.example,http://example.com' }),
    ).toEqual([
      expect.stringMatching(/^WEBAUTHN_ORIGINS: "https:\/\/evil.example"/),
      expect.stringMatching(/^WEBAUTHN_ORIGINS: "http:\/\/example.com"/),
    ]);
    expect(
      errorsOf({ WEBAUTHN_ORIGINS: 'https://example.com', NODE_ENV: 'production', JWT_SECRET: SECRET, ...MAIL }),
    ).toEqual([expect.stringMatching(/^WEBAUTHN_ORIGINS: set WEBAUTHN_RP_ID too/)]);
  });

  it('runs one worker unless WORKERS says more, and one on the embedded database whatever it says', () => {
    expect(configOf({}).workers).toEqual({ count: 1, requested: 1 });
    expect(configOf({ WORKERS: '2' }).workers).toEqual({ count: 1, requested: 2 });
    const pg = { DATABASE_URL: 'postgresql://db.example.com/tollgate', REDIS_URL: 'redis://cache.example.com' };
    const two = configOf({ ...pg, WORKERS: '2', METRICS_PORT: '9464' });
    expect(two.workers).toEqual({ count: 2, requested: 2 });
    expect(two.passwords.threads).toBe(Math.ceil(availableParallelism() / 2));
    expect(configOf({ ...pg, WORKERS: 'auto', METRICS: 'off' }).workers.count).toBe(availableParallelism());
    expect(errorsOf({ WORKERS: 'many' })).toEqual([expect.stringMatching(/^WORKERS: /)]);
  });

  it('refuses several workers without Redis for the limits, or without a metrics port, one line each', () => {
    const url = { DATABASE_URL: 'postgresql://db.example.com/tollgate' };
    expect(errorsOf({ ...url, WORKERS: '2' })).toEqual([
      expect.stringMatching(/^WORKERS: several workers need REDIS_URL/),
      expect.stringMatching(/^WORKERS: several workers need METRICS_PORT/),
    ]);
    expect(configOf({ ...url, WORKERS: '2', RATE_LIMIT: 'off', METRICS: 'off' }).workers.count).toBe(2);
  });
});
