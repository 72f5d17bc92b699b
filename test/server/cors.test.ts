import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createTestApp, PRODUCTION, type TestApp } from '../fixtures/index.ts';
import { testWithApp } from '../fixtures/suite.ts';

// CORS as a browser meets it: the preflight it sends before a POST carrying an
// Authorization header, then the POST itself, in each environment.

const FRONTEND = 'http://localhost:5173';
const LISTED = ['https://app.example.com', 'https://admin.example.com'] as const;
// A sandboxed iframe or a file:// page sends the origin "null"; it is never a listed one.
const UNLISTED = ['https://evil.example.com', 'https://app.example.com.evil.example', 'http://app.example.com', 'null'];

/** The preflight a browser sends before a POST with an Authorization header. */
const preflightFrom = (origin: string): RequestInit => ({
  method: 'OPTIONS',
  headers: {
    origin,
    'access-control-request-method': 'POST',
    'access-control-request-headers': 'authorization, content-type',
  },
});

const preflight = (app: TestApp, origin: string) => app.fetch('/graphql', preflightFrom(origin));

const post = (app: TestApp, origin: string) =>
  app.fetch('/graphql', {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ me { id } }' }),
  });

const listOf = (header: string | null) =>
  (header ?? '')
    .toLowerCase()
    .split(/\s*,\s*/)
    .filter(Boolean);

/** A preflight a browser accepts for a POST with `authorization` and `content-type` from `origin`. */
function expectPreflightAllows(response: Response, origin: string): void {
  expect(response.status).toBeGreaterThanOrEqual(200);
  expect(response.status).toBeLessThan(300);
  expect(response.headers.get('access-control-allow-origin')).toBe(origin);
  expect(listOf(response.headers.get('vary'))).toContain('origin');
  expect(listOf(response.headers.get('access-control-allow-methods'))).toContain('post');
  expect(listOf(response.headers.get('access-control-allow-headers'))).toEqual(
    expect.arrayContaining(['authorization', 'content-type']),
  );
  expect(response.headers.get('access-control-allow-credentials')).toBeNull();
}

function expectNoOriginAllowed(response: Response): void {
  expect(response.headers.get('access-control-allow-origin')).toBeNull();
  expect(response.headers.get('access-control-allow-credentials')).toBeNull();
}

// The development app; the production apps share its database and hashing thread.
const it = testWithApp({ NODE_ENV: 'development' });
let t: TestApp;
it.beforeAll(({ app }) => {
  t = app;
});

/** An app with these settings on the development app's data. */
const appWith = (env: Record<string, string>) => createTestApp(env, { sharing: t });

describe('CORS in development (CORS_ORIGINS unset)', () => {
  it('answers a frontend on another port with a preflight allowing POST with authorization and content-type', async () => {
    expectPreflightAllows(await preflight(t, FRONTEND), FRONTEND);
  });

  it('allows that origin on the POST itself', async () => {
    const response = await post(t, FRONTEND);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { me: null } });
    expect(response.headers.get('access-control-allow-origin')).toBe(FRONTEND);
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  describe('on a listening server', () => {
    // Closed with the app.
    let url: string;
    beforeAll(async () => {
      url = await t.listen();
    });

    it('answers a preflight sent over the network', async () => {
      expectPreflightAllows(await fetch(url, preflightFrom(FRONTEND)), FRONTEND);
    });
  });
});

describe('CORS in production with CORS_ORIGINS unset', () => {
  let production: TestApp;
  beforeAll(async () => {
    production = await appWith(PRODUCTION);
  });
  afterAll(() => production?.close());

  it.each([FRONTEND, ...LISTED, ...UNLISTED])('allows no origin: a preflight from %s', async (origin) => {
    expectNoOriginAllowed(await preflight(production, origin));
  });

  it('allows no origin on a POST', async () => {
    const response = await post(production, FRONTEND);
    expect(response.status).toBe(200);
    expectNoOriginAllowed(response);
  });
});

describe(`CORS in production with CORS_ORIGINS=${LISTED.join(',')}`, () => {
  let production: TestApp;
  beforeAll(async () => {
    production = await appWith({ ...PRODUCTION, CORS_ORIGINS: LISTED.join(',') });
  });
  afterAll(() => production?.close());

  it.each(LISTED)('echoes the listed origin %s on a preflight', async (origin) => {
    expectPreflightAllows(await preflight(production, origin), origin);
  });

  it.each(LISTED)('echoes the listed origin %s on a POST', async (origin) => {
    const response = await post(production, origin);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
    expect(listOf(response.headers.get('vary'))).toContain('origin');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it.each([FRONTEND, ...UNLISTED])('gives the unlisted origin %s no allow-origin header', async (origin) => {
    expectNoOriginAllowed(await preflight(production, origin));
    expectNoOriginAllowed(await post(production, origin));
  });
});

describe('CORS in production with a single origin in CORS_ORIGINS', () => {
  const only = 'https://app.example.com';
  let production: TestApp;
  beforeAll(async () => {
    production = await appWith({ ...PRODUCTION, CORS_ORIGINS: only });
  });
  afterAll(() => production?.close());

  it('echoes it', async () => {
    expectPreflightAllows(await preflight(production, only), only);
  });

  it.each(UNLISTED)('gives %s no allow-origin header', async (origin) => {
    expectNoOriginAllowed(await preflight(production, origin));
  });
});
