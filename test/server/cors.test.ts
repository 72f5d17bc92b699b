import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

// CORS as a browser meets it: the preflight it sends before a POST carrying an
// Authorization header, then the POST itself, in each environment.

const BASE = 'http://tollgate.test';
const PRODUCTION = { NODE_ENV: 'production', BCRYPT_COST: '10', JWT_SECRET: randomBytes(32).toString('base64url') };
const FRONTEND = 'http://localhost:5173';
const LISTED = ['https://app.example.com', 'https://admin.example.com'] as const;
// A sandboxed iframe or a file:// page sends the origin "null"; it is never a listed one.
const UNLISTED = ['https://evil.example.com', 'https://app.example.com.evil.example', 'http://app.example.com', 'null'];

type Fetch = (url: string, init: RequestInit) => Promise<Response>;

const preflight = (fetchFn: Fetch, base: string, origin: string) =>
  fetchFn(`${base}/graphql`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type',
    },
  });

const post = (fetchFn: Fetch, base: string, origin: string) =>
  fetchFn(`${base}/graphql`, {
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

describe('CORS in development (CORS_ORIGINS unset)', () => {
  let t: TestApp;
  const appFetch: Fetch = (url, init) => Promise.resolve(t.app.fetch(url, init));
  beforeAll(async () => {
    t = await createTestApp({ NODE_ENV: 'development' });
  });
  afterAll(() => t.close());

  it('answers a frontend on another port with a preflight allowing POST with authorization and content-type', async () => {
    expectPreflightAllows(await preflight(appFetch, BASE, FRONTEND), FRONTEND);
  });

  it('allows that origin on the POST itself', async () => {
    const response = await post(appFetch, BASE, FRONTEND);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { me: null } });
    expect(response.headers.get('access-control-allow-origin')).toBe(FRONTEND);
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  describe('on a listening server', () => {
    let server: Server;
    let base: string;
    beforeAll(async () => {
      server = createServer(t.app);
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    });

    it('answers a preflight sent over the network', async () => {
      expectPreflightAllows(await preflight(fetch, base, FRONTEND), FRONTEND);
    });
  });
});

describe('CORS in production with CORS_ORIGINS unset', () => {
  let t: TestApp;
  const appFetch: Fetch = (url, init) => Promise.resolve(t.app.fetch(url, init));
  beforeAll(async () => {
    t = await createTestApp(PRODUCTION);
  });
  afterAll(() => t.close());

  it.each([FRONTEND, ...LISTED, ...UNLISTED])('allows no origin: a preflight from %s', async (origin) => {
    expectNoOriginAllowed(await preflight(appFetch, BASE, origin));
  });

  it('allows no origin on a POST', async () => {
    const response = await post(appFetch, BASE, FRONTEND);
    expect(response.status).toBe(200);
    expectNoOriginAllowed(response);
  });
});

describe(`CORS in production with CORS_ORIGINS=${LISTED.join(',')}`, () => {
  let t: TestApp;
  const appFetch: Fetch = (url, init) => Promise.resolve(t.app.fetch(url, init));
  beforeAll(async () => {
    t = await createTestApp({ ...PRODUCTION, CORS_ORIGINS: LISTED.join(',') });
  });
  afterAll(() => t.close());

  it.each(LISTED)('echoes the listed origin %s on a preflight', async (origin) => {
    expectPreflightAllows(await preflight(appFetch, BASE, origin), origin);
  });

  it.each(LISTED)('echoes the listed origin %s on a POST', async (origin) => {
    const response = await post(appFetch, BASE, origin);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
    expect(listOf(response.headers.get('vary'))).toContain('origin');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it.each([FRONTEND, ...UNLISTED])('gives the unlisted origin %s no allow-origin header', async (origin) => {
    expectNoOriginAllowed(await preflight(appFetch, BASE, origin));
    expectNoOriginAllowed(await post(appFetch, BASE, origin));
  });
});

describe('CORS in production with a single origin in CORS_ORIGINS', () => {
  const only = 'https://app.example.com';
  let t: TestApp;
  const appFetch: Fetch = (url, init) => Promise.resolve(t.app.fetch(url, init));
  beforeAll(async () => {
    t = await createTestApp({ ...PRODUCTION, CORS_ORIGINS: only });
  });
  afterAll(() => t.close());

  it('echoes it', async () => {
    expectPreflightAllows(await preflight(appFetch, BASE, only), only);
  });

  it.each(UNLISTED)('gives %s no allow-origin header', async (origin) => {
    expectNoOriginAllowed(await preflight(appFetch, BASE, origin));
  });
});
