import { getIntrospectionQuery } from 'graphql';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import {
  createTestApp,
  expectNoErrors,
  type GraphQLResponse,
  LOGIN,
  logIn,
  ME,
  PRODUCTION,
  queryText,
  signUp,
  type TestApp,
  uniqueEmail,
} from '../fixtures/index.ts';
import { testWithApp } from '../fixtures/suite.ts';

// The HTTP surface as a client sees it: health and readiness, the GraphQL over
// HTTP rules (status codes, content types, body limit), error masking, what
// reaches the log, GraphiQL, introspection and CORS in each environment.

const BROWSER_ORIGIN = 'http://localhost:5173';
const INTROSPECTION_QUERY = '{ __schema { types { name } } }';

type ErrorBody = NonNullable<GraphQLResponse['body']['errors']>;
interface JsonBody {
  data?: Record<string, unknown> | null;
  errors?: ErrorBody;
}

/** A POST of `body` as it is: the requests a well-formed GraphQL document cannot make. */
const postJson = (app: TestApp, body: BodyInit, headers: Record<string, string> = {}) =>
  app.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

const getGraphiQL = (app: TestApp) => app.fetch('/graphql', { headers: { accept: 'text/html' } });

const preflight = (app: TestApp, origin: string) =>
  app.fetch('/graphql', {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type',
    },
  });

/** A request body of exactly `bytes` bytes: a small query padded with an unused variable. */
function bodyOfSize(bytes: number): string {
  const empty = JSON.stringify({ query: 'query Probe { me { id } }', variables: { pad: '' } });
  const padding = bytes - Buffer.byteLength(empty);
  if (padding < 0) throw new Error(`cannot build a ${bytes}-byte body`);
  const body = JSON.stringify({ query: 'query Probe { me { id } }', variables: { pad: 'x'.repeat(padding) } });
  expect(Buffer.byteLength(body)).toBe(bytes);
  return body;
}

/** `text` as a body with no Content-Length: a stream read in 8 kB chunks. */
function streamOf(text: string): ReadableStream<Uint8Array> {
  const bytes = Buffer.from(text);
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      controller.enqueue(new Uint8Array(bytes.subarray(offset, offset + 8192)));
      offset += 8192;
    },
  });
}

const postStream = (app: TestApp, text: string) => {
  const init: RequestInit & { duplex: 'half' } = {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: streamOf(text),
    duplex: 'half',
  };
  return app.fetch('/graphql', init);
};

/** Stack frames ("at fn (/path:1:2)", "at file:///…"), absolute paths and source locations. */
const STACK_FRAME = /\bat (?:\S+ \()?(?:file:|node:|\/)|\n\s+at /;
const FILE_PATH = /(?:file:\/\/|\/work\/|\/home\/|\/usr\/|node_modules|\.[cm]?[jt]s:\d)/;

/** A GraphiQL page that loads nothing from another host: no remote script, stylesheet or module. */
function remoteAssets(html: string): string[] {
  const tags = html.match(/<(?:script|link)\b[^>]*>/gi) ?? [];
  return tags.filter((tag) => /\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i.test(tag));
}

// The development app; the apps with other settings share its database and hashing thread.
const it = testWithApp({ NODE_ENV: 'development' });
let t: TestApp;
it.beforeAll(({ app }) => {
  t = app;
});

describe('in development', () => {
  describe('health and readiness', () => {
    it('answers 200 on /health', async () => {
      const response = await t.fetch('/health');
      expect(response.status).toBe(200);
    });

    it('answers 200 on /ready while the database answers', async () => {
      const response = await t.fetch('/ready');
      expect(response.status).toBe(200);
    });
  });

  describe('response headers', () => {
    it('sends no x-powered-by header on /graphql, /health or the GraphiQL page', async () => {
      const responses = [await t.graphql(ME), await t.fetch('/health'), await getGraphiQL(t)];
      for (const response of responses) expect(response.headers.get('x-powered-by')).toBeNull();
    });
  });

  describe('malformed requests', () => {
    it('answers malformed JSON with 400 and a JSON body holding an error message', async () => {
      const response = await postJson(t, '{"query": ');
      const text = await response.text();
      expect(response.status, text).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/json/);
      const body = JSON.parse(text) as JsonBody;
      expect(body.errors?.[0]?.message).toEqual(expect.any(String));
    });

    it('shows no stack, file path or stack frame in the answer to malformed JSON', async () => {
      const response = await postJson(t, '{"query": "{ me { id } }", }');
      const text = await response.text();
      expect(text).not.toMatch(/stack/i);
      expect(text).not.toMatch(STACK_FRAME);
      expect(text).not.toMatch(FILE_PATH);
    });

    it("does not pass the JSON parser's own message on to the client", async () => {
      // The contract: no library messages reach a client. JSON.parse's message
      // quotes part of the body it failed on.
      const response = await postJson(t, '{"variables": {"password": hunter-two-secret}}');
      const text = await response.text();
      expect(text).not.toMatch(/SyntaxError|is not valid JSON|Unexpected token|originalError/);
      expect(text).not.toContain('hunter');
    });

    it('reports a query for an unknown field as a validation error, not a server error', async () => {
      const response = await t.graphql('{ noSuchField }');
      expect([200, 400]).toContain(response.status);
      expect(response.body.data ?? undefined).toBeUndefined();
      expect(response.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(response.body.errors?.[0]?.message).toMatch(/noSuchField/);
    });
  });

  describe('request body limit', () => {
    const limit = 100 * 1024;

    it('is 100 kB by default', () => {
      expect(t.config.http.maxBodyBytes).toBe(limit);
    });

    it('refuses a body over the limit declared by Content-Length with 413 PAYLOAD_TOO_LARGE', async () => {
      const body = bodyOfSize(limit + 1);
      const response = await postJson(t, body, { 'content-length': String(Buffer.byteLength(body)) });
      expect(response.status).toBe(413);
      expect(response.headers.get('content-type')).toMatch(/json/);
      const json = (await response.json()) as JsonBody;
      expect(json.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('refuses a streamed body over the limit without Content-Length with 413 PAYLOAD_TOO_LARGE', async () => {
      const response = await postStream(t, bodyOfSize(limit + 20_000));
      expect(response.status).toBe(413);
      expect(response.headers.get('content-type')).toMatch(/json/);
      const json = (await response.json()) as JsonBody;
      expect(json.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('processes a body just under the limit declared by Content-Length normally', async () => {
      const body = bodyOfSize(limit - 1);
      const response = await postJson(t, body, { 'content-length': String(Buffer.byteLength(body)) });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ data: { me: null } });
    });

    it('processes a streamed body just under the limit normally', async () => {
      const response = await postStream(t, bodyOfSize(limit - 1));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ data: { me: null } });
    });
  });

  describe('content negotiation', () => {
    it('answers accept: application/json with an application/json body', async () => {
      const response = await t.graphql(ME, {}, { headers: { accept: 'application/json' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json\b/);
      expect(response.body).toEqual({ data: { me: null } });
    });

    it('answers accept: application/graphql-response+json with that content type', async () => {
      const response = await t.graphql(ME, {}, { headers: { accept: 'application/graphql-response+json' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/graphql-response\+json\b/);
      expect(response.body).toEqual({ data: { me: null } });
    });

    it('compresses a large answer for a client that accepts it, and leaves small ones as they are', async () => {
      const introspect = (encoding?: string) =>
        t.fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(encoding ? { 'accept-encoding': encoding } : {}) },
          body: JSON.stringify({ query: getIntrospectionQuery() }),
        });
      const plain = Buffer.from(await (await introspect()).arrayBuffer());
      expect(plain.byteLength).toBeGreaterThan(1024);
      const brotli = await introspect('gzip, deflate, br');
      expect(brotli.headers.get('content-encoding')).toBe('br');
      expect(brotli.headers.get('vary')).toMatch(/accept-encoding/i);
      const compressed = Buffer.from(await brotli.arrayBuffer());
      expect(compressed.byteLength).toBeLessThan(plain.byteLength / 3);
      expect(brotliDecompressSync(compressed)).toEqual(plain);
      const gzipped = await introspect('gzip');
      expect(gunzipSync(Buffer.from(await gzipped.arrayBuffer()))).toEqual(plain);

      const small = await t.graphql(ME, {}, { headers: { 'accept-encoding': 'br' } });
      expect(small.headers.get('content-encoding')).toBeNull();
      expect(small.body).toEqual({ data: { me: null } });
    });
  });

  describe('secrets in the log', () => {
    const password = `quiet-meadow-compass-${randomBytes(4).toString('hex')}`;
    const wrongPassword = `wrong-harbour-lantern-${randomBytes(4).toString('hex')}`;
    const forgedToken = `forged.${randomBytes(24).toString('base64url')}.token`;
    const tokens: string[] = [];

    beforeAll(async () => {
      const signedUp = await signUp(t, { prefix: 'logs', password });
      const loggedIn = await logIn(t, signedUp);
      tokens.push(signedUp.accessToken, signedUp.refreshToken, loggedIn.accessToken, loggedIn.refreshToken);
      expectNoErrors(await t.graphql(ME, {}, { token: loggedIn.accessToken }));
      // Failures too: these are the requests most likely to be logged.
      await t.graphql(LOGIN, { email: signedUp.email, password: wrongPassword });
      await t.graphql(ME, {}, { token: forgedToken });
      await t.graphql('{ noSuchField }', {}, { token: loggedIn.accessToken });
    });

    it('never holds a password sent to signUp or login', () => {
      const log = t.logText();
      expect(log).not.toContain(password);
      expect(log).not.toContain(wrongPassword);
    });

    it('never holds an access or refresh token returned by signUp or login', () => {
      const log = t.logText();
      for (const token of tokens) expect(log).not.toContain(token);
    });

    it('never holds the token of an Authorization header', () => {
      expect(t.logText()).not.toContain(forgedToken);
    });

    it('never holds a password from a request body that is not valid JSON', async () => {
      // A client that pastes the password in unquoted: the parser's message quotes the body.
      const typo = `typo-garden-window-${randomBytes(4).toString('hex')}`;
      const response = await postJson(
        t,
        `{"query": ${JSON.stringify(queryText(LOGIN))}, "variables": {"email": "a@example.com", "password": ${typo}}}`,
      );
      expect(response.status).toBe(400);
      expect(t.logText()).not.toContain(typo);
    });
  });

  describe('GraphiQL', () => {
    it('is served as HTML to a browser', async () => {
      const response = await getGraphiQL(t);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await response.text()).toMatch(/graphiql/i);
    });

    it('loads no script or stylesheet from another host', async () => {
      const html = await (await getGraphiQL(t)).text();
      expect(remoteAssets(html)).toEqual([]);
      expect(html).not.toMatch(/<script[^>]*\bsrc\s*=\s*["']?https?:/i);
      expect(html).not.toMatch(/<link[^>]*\bhref\s*=\s*["']?https?:/i);
    });

    it('opens with a document that signs up, logs in and asks for me', async () => {
      const html = await (await getGraphiQL(t)).text();
      expect(html).toContain('signUp(');
      expect(html).toContain('login(');
      expect(html).toMatch(/\bme \{/);
    });

    it('is a page of at most 20 kB whose files are separate, named by their hash and kept for a year', async () => {
      const html = await (await getGraphiQL(t)).text();
      expect(Buffer.byteLength(html)).toBeLessThanOrEqual(20_000);
      const files = [...html.matchAll(/(?:src|href)="(\/graphiql\/[^"]+)"/g)].map((match) => match[1] ?? '');
      expect(files.length).toBeGreaterThanOrEqual(4);
      for (const file of files) {
        expect(file).toMatch(/^\/graphiql\/[a-z-]+\.[0-9a-f]{16}\.(js|css|ico)$/);
        const response = await t.fetch(file, { headers: { 'accept-encoding': 'br' } });
        expect(response.status, file).toBe(200);
        expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
        expect(response.headers.get('content-encoding')).toBe('br');
      }
    });

    it('sends its files uncompressed to a client that accepts no compression, byte for byte as hashed', async () => {
      const html = await (await getGraphiQL(t)).text();
      const keeper = /src="(\/graphiql\/token-keeper\.([0-9a-f]{16})\.js)"/.exec(html);
      const response = await t.fetch(keeper?.[1] ?? '');
      expect(response.headers.get('content-encoding')).toBeNull();
      const body = Buffer.from(await response.arrayBuffer());
      expect(createHash('sha256').update(body).digest('hex').slice(0, 16)).toBe(keeper?.[2]);
      expect(body.toString()).toContain('TOKEN_EXPIRED');
    });

    it('answers an unknown or outdated file name with 404', async () => {
      expect((await t.fetch('/graphiql/graphiql.0000000000000000.js')).status).toBe(404);
      expect((await t.fetch('/graphiql/nothing')).status).toBe(404);
    });
  });

  describe('HEAD', () => {
    /** GET and HEAD of one path: the same status and headers but for the date and the request id, and no body for HEAD. */
    async function expectHeadAsGet(path: string, headers: Record<string, string> = {}) {
      const get = await t.fetch(path, { headers });
      const getBody = Buffer.from(await get.arrayBuffer());
      const head = await t.fetch(path, { method: 'HEAD', headers });
      expect(head.status, path).toBe(get.status);
      expect(await head.text()).toBe('');
      const comparable = (response: Response) =>
        Object.fromEntries(
          [...response.headers].filter(([name]) => !['date', 'x-request-id', 'content-length'].includes(name)),
        );
      expect(comparable(head)).toEqual(comparable(get));
      expect(Number(head.headers.get('content-length'))).toBe(getBody.byteLength);
      return head;
    }

    it('answers as GET does on the GraphiQL page, a GraphiQL file, /health, /ready and the JWKS', async () => {
      expect((await expectHeadAsGet('/graphql', { accept: 'text/html' })).status).toBe(200);
      const html = await (await getGraphiQL(t)).text();
      const file = /src="(\/graphiql\/[^"]+\.js)"/.exec(html)?.[1] ?? '';
      expect((await expectHeadAsGet(file, { 'accept-encoding': 'gzip' })).status).toBe(200);
      expect((await expectHeadAsGet('/health')).status).toBe(200);
      expect((await expectHeadAsGet('/ready')).status).toBe(200);
      expect((await expectHeadAsGet('/.well-known/jwks.json')).status).toBe(200);
    });

    it('answers as GET does for a query in the URL, and for a path that does not exist', async () => {
      expect((await expectHeadAsGet(`/graphql?query=${encodeURIComponent('{ me { id } }')}`)).status).toBe(200);
      expect((await expectHeadAsGet('/nowhere')).status).toBe(404);
    });
  });

  describe('introspection', () => {
    it('answers a __schema query', async () => {
      const { __schema } = expectNoErrors(
        await t.graphql<{ __schema: { types: Array<{ name: string }> } }>(INTROSPECTION_QUERY),
      );
      expect(__schema.types.map((type) => type.name)).toEqual(expect.arrayContaining(['User', 'AuthPayload']));
    });
  });

  describe('CORS', () => {
    it('allows a preflight from a browser origin, with authorization and content-type', async () => {
      const response = await preflight(t, BROWSER_ORIGIN);
      expect(response.status).toBeLessThan(300);
      expect([BROWSER_ORIGIN, '*']).toContain(response.headers.get('access-control-allow-origin'));
      const allowed = (response.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/\s*,\s*/);
      expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type']));
      expect(response.headers.get('access-control-allow-methods')).toMatch(/POST/);
    });
  });
});

describe('GET /', () => {
  it('says what runs here and where to go: a page to a browser, text to a script', async () => {
    const page = await t.fetch('/', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('<a href="/graphql">/graphql</a>');
    expect(html).toContain('<a href="/account/forgot-password">');
    const text = await (await t.fetch('/')).text();
    expect(text.split('\n')[0]).toBe('Tollgate: a GraphQL authentication API.');
    expect(text).toContain('In a browser, /graphql is GraphiQL.');
  });
});

describe('readiness without a database', () => {
  it('answers 503 on /ready once the database is gone', async () => {
    const t = await createTestApp({ NODE_ENV: 'development' });
    // `close()` also drops the PostgreSQL scratch database: after a bare
    // `database.close()`, Prisma reconnects to a server that still runs.
    await t.close();
    const response = await t.fetch('/ready');
    expect(response.status).toBe(503);
    const health = await t.fetch('/health');
    expect(health.status).toBe(200);
  });
});

describe('an unexpected error', () => {
  const password = `amber-orchard-violin-${randomBytes(4).toString('hex')}`;
  // An app whose own database is closed under it, with a log of its own.
  let broken: TestApp;
  let text: string;
  beforeAll(async () => {
    broken = await createTestApp({ NODE_ENV: 'development' }, { hasher: t.services.hasher });
    await broken.close();
    const response = await postJson(
      broken,
      JSON.stringify({ query: queryText(LOGIN), variables: { email: uniqueEmail('masked'), password } }),
    );
    text = await response.text();
  });

  it('reaches the client as one INTERNAL_SERVER_ERROR with a generic message', () => {
    const body = JSON.parse(text) as JsonBody;
    expect(body.errors, text).toHaveLength(1);
    const [error] = body.errors!;
    expect(error!.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(error!.message).not.toMatch(/prisma|database|postgres|pglite|connect|reach|findUnique|ECONN/i);
    expect(body.data ?? null).toBeNull();
  });

  it('shows the client no Prisma, SQL, path or stack detail', () => {
    expect(text).not.toMatch(/prisma/i);
    expect(text).not.toContain('SELECT');
    expect(text).not.toContain('at /');
    expect(text).not.toContain('node_modules');
    expect(text).not.toContain('.ts:');
    expect(text).not.toMatch(/stack/i);
    expect(text).not.toMatch(STACK_FRAME);
  });

  it('is logged with its detail', () => {
    const entries = broken.logs.filter((entry) => entry.level === 'error');
    expect(entries.length).toBeGreaterThan(0);
    const logged = JSON.stringify(entries);
    // The database was closed under the request: the log says so, with the stack.
    expect(logged).toMatch(/pool after calling end|database after it was closed/);
    expect(logged).toMatch(/"stack"/);
  });

  it('is logged without the password that was sent', () => {
    expect(broken.logText()).not.toContain(password);
  });
});

describe('in production', () => {
  let production: TestApp;
  beforeAll(async () => {
    production = await createTestApp(PRODUCTION, { sharing: t });
  });
  afterAll(() => production?.close());

  it('does not serve GraphiQL, and says why to a browser, with 406', async () => {
    const response = await getGraphiQL(production);
    expect(response.status).toBe(406);
    expect(response.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
    const text = await response.text();
    expect(text).toContain('GraphiQL is off here (production): GRAPHIQL=1 turns it on.');
    expect(text).not.toMatch(/<script/i);
  });

  it('answers GET / with what runs here, and no GraphiQL or account pages named', async () => {
    const text = await (await production.fetch('/')).text();
    expect(text).toContain('Tollgate: a GraphQL authentication API.');
    expect(text).toContain('POST /graphql');
    expect(text).not.toContain('GraphiQL');
    expect(text).not.toContain('/account/');
  });

  it('refuses an introspection query', async () => {
    const response = await production.graphql<{ __schema?: unknown }>(INTROSPECTION_QUERY);
    expect(response.body.errors?.length).toBeGreaterThan(0);
    expect(response.body.data?.__schema).toBeUndefined();
  });

  it('allows no browser origin when CORS_ORIGINS is unset', async () => {
    const response = await preflight(production, BROWSER_ORIGIN);
    const allowOrigin = response.headers.get('access-control-allow-origin');
    expect(allowOrigin === BROWSER_ORIGIN || allowOrigin === '*', `access-control-allow-origin: ${allowOrigin}`).toBe(
      false,
    );
  });
});

describe('in production with GRAPHIQL=1, INTROSPECTION=1 and CORS_ORIGINS set', () => {
  const allowedOrigin = 'http://app.example.com';
  let production: TestApp;
  beforeAll(async () => {
    production = await createTestApp(
      { ...PRODUCTION, GRAPHIQL: '1', INTROSPECTION: '1', CORS_ORIGINS: allowedOrigin },
      { sharing: t },
    );
  });
  afterAll(() => production?.close());

  it('serves GraphiQL', async () => {
    const response = await getGraphiQL(production);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toMatch(/graphiql/i);
  });

  it('answers an introspection query', async () => {
    const { __schema } = expectNoErrors(
      await production.graphql<{ __schema: { types: Array<{ name: string }> } }>(INTROSPECTION_QUERY),
    );
    expect(__schema.types.map((type) => type.name)).toContain('User');
  });

  it('allows a preflight from the listed origin', async () => {
    const response = await preflight(production, allowedOrigin);
    expect(response.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
    const allowed = (response.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/\s*,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type']));
  });

  it('does not allow another origin', async () => {
    const other = 'http://evil.example.com';
    const response = await preflight(production, other);
    const allowOrigin = response.headers.get('access-control-allow-origin');
    expect(allowOrigin === other || allowOrigin === '*', `access-control-allow-origin: ${allowOrigin}`).toBe(false);
  });
});
