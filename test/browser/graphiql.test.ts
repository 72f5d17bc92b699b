import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  editorText,
  expectError,
  expectNoErrors,
  GraphiQL,
  launchChromium,
  noBrowser,
  ME,
  replaceContent,
  STRONG_PASSWORD,
  signUp,
  testDatabaseKind,
  uniqueEmail,
  type TestApp,
  UI_TIMEOUT,
  untilEditorWorkersLoaded,
  VIEWPORT,
} from '../fixtures/index.ts';

// GraphiQL as a person meets it: the page the service serves at /graphql, opened
// in Debian's Chromium, driven through its editors and buttons. Then a frontend
// on another origin calling the same service from that browser, preflights and all.

describe.skipIf(noBrowser)(`GraphiQL in Chromium (${testDatabaseKind})`, { timeout: 120_000 }, () => {
  let t: TestApp;
  /** Where the service listens: a real port on 127.0.0.1, as a browser needs. */
  let graphqlUrl: string;
  let browser: Browser;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    // Rate limits on, as `npm start` has them.
    [t, browser] = await Promise.all([createTestApp({ RATE_LIMIT: 'on' }), launchChromium()]);
    graphqlUrl = await t.listen();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  }, 60_000);

  // A fresh profile for each test: GraphiQL keeps its tabs and headers in local storage.
  async function newPage(): Promise<Page> {
    context = await browser.newContext({ viewport: VIEWPORT, permissions: ['clipboard-read', 'clipboard-write'] });
    // Every step without a bound of its own (clicks) gets the same bound.
    context.setDefaultTimeout(UI_TIMEOUT);
    return context.newPage();
  }
  afterEach(async ({ task }) => {
    await context?.close();
    context = undefined;
    // What the service logged explains most failures seen only through the page.
    if (task.result?.state === 'fail') console.error(`service log:\n${t.logText().split('\n').slice(-30).join('\n')}`);
  });

  it('loads at /graphql with everything from the service itself, and nothing fails', async () => {
    const page = await newPage();
    const ownOrigin = new URL(graphqlUrl).origin;
    const requested: string[] = [];
    const failed: string[] = [];
    const pageErrors: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    page.on('requestfailed', (request) => failed.push(`${request.url()}: ${request.failure()?.errorText}`));
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.url()}: HTTP ${response.status()}`);
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));

    // Not 'networkidle': Chromium may leave a cached worker script's request open in Playwright's view.
    const response = await page.goto(graphqlUrl, { waitUntil: 'load', timeout: UI_TIMEOUT });
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toMatch(/^text\/html/);
    const graphiql = new GraphiQL(page);
    await graphiql.queryEditor.locator('.view-line').first().waitFor({ timeout: UI_TIMEOUT });
    // The schema is fetched once the page runs: the documentation explorer has it.
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    await page.getByText('Root Types').waitFor({ timeout: UI_TIMEOUT });
    await untilEditorWorkersLoaded(page);

    expect(requested.length).toBeGreaterThan(1);
    // Blob URLs (the editors' workers) belong to the page's origin; data: URLs reach no host.
    const elsewhere = requested.filter((url) => !url.startsWith('data:') && new URL(url).origin !== ownOrigin);
    expect(elsewhere).toEqual([]);
    expect(failed).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('opens with the sign-up, login and me flow and an empty Headers pane', async () => {
    const graphiql = new GraphiQL(await newPage());
    await graphiql.open(graphqlUrl);

    const text = await editorText(graphiql.queryEditor);
    expect(text).toContain('signUp(');
    expect(text).toContain('login(');
    expect(text).toMatch(/\bme \{/);
    await graphiql.runButton.click();
    await expect
      .poll(() => graphiql.page.getByRole('menuitem').allInnerTexts(), { timeout: UI_TIMEOUT })
      .toEqual(['SignUp', 'Login', 'Me']);
    await graphiql.page.keyboard.press('Escape');

    await graphiql.openHeaders();
    expect(JSON.parse(await editorText(graphiql.headersEditor))).toEqual({});
  });

  it('runs the default document as the README says: SignUp, then Me with nothing pasted', async () => {
    const graphiql = new GraphiQL(await newPage());
    await graphiql.open(graphqlUrl);

    await graphiql.runOperation('SignUp');
    const token = await graphiql.accessTokenFromResult();
    await graphiql.runOperation('Me');
    await graphiql.waitForResult(/"me":\{"id":"[^"]+","email":"ada@example\.com"/);
    // The token the page keeps is in plain sight, in the Headers pane.
    await graphiql.openHeaders();
    expect(JSON.parse(await editorText(graphiql.headersEditor))).toEqual({ Authorization: `Bearer ${token}` });
    await expect.poll(() => graphiql.tokenBar.textContent()).toContain('ada@example.com');
  });

  it('forgets the kept token in one click: the Headers pane is as before, and me is null again', async () => {
    const graphiql = new GraphiQL(await newPage());
    await graphiql.open(graphqlUrl);
    const email = uniqueEmail('forget');
    await graphiql.signUpWith(email);

    await graphiql.page.getByRole('button', { name: 'Forget token' }).click();
    await graphiql.openHeaders();
    await expect.poll(async () => JSON.parse(await editorText(graphiql.headersEditor))).toEqual({});
    await expect.poll(() => graphiql.tokenBar.isVisible(), { timeout: UI_TIMEOUT }).toBe(false);
    await replaceContent(graphiql.page, graphiql.queryEditor, '{ me { email } }');
    await graphiql.run();
    await graphiql.waitForResult(/"me":null/);
  });

  it('signs out in one click: the session ends, and its token is refused from then on', async () => {
    const graphiql = new GraphiQL(await newPage());
    await graphiql.open(graphqlUrl);
    const email = uniqueEmail('sign-out');
    const token = await graphiql.signUpWith(email);

    await graphiql.page.getByRole('button', { name: 'Sign out' }).click();
    await expect
      .poll(async () => (await t.graphql(ME, {}, { token })).body.errors?.[0]?.extensions?.reason, {
        timeout: UI_TIMEOUT,
      })
      .toBe('TOKEN_REVOKED');
    await graphiql.openHeaders();
    expect(JSON.parse(await editorText(graphiql.headersEditor))).toEqual({});
    // The result that showed the tokens is gone from the screen too.
    await expect.poll(() => editorText(graphiql.response), { timeout: UI_TIMEOUT }).not.toContain('accessToken');
  });

  it('keeps the pair across a reload: the bar is back, and an expired token still refreshes', async () => {
    const graphiql = new GraphiQL(await newPage());
    await graphiql.open(graphqlUrl);
    const email = uniqueEmail('reload');
    const first = await graphiql.signUpWith(email);

    await graphiql.page.reload();
    await graphiql.queryEditor.locator('.view-line').first().waitFor({ timeout: UI_TIMEOUT });
    await expect.poll(() => graphiql.tokenBar.textContent(), { timeout: UI_TIMEOUT }).toContain(email);

    t.clock.advance(t.config.tokens.accessTokenTtlSeconds + 1);
    await replaceContent(graphiql.page, graphiql.queryEditor, '{ me { email } }');
    await graphiql.run();
    await graphiql.waitForResult(new RegExp(`"me":\\{"email":"${email.replace(/[.]/g, '\\.')}"\\}`));
    await graphiql.openHeaders();
    const { Authorization } = JSON.parse(await editorText(graphiql.headersEditor)) as { Authorization: string };
    expect(Authorization).not.toBe(`Bearer ${first}`);
  });

  it('refreshes once when the kept access token has expired, and keeps the new pair', async () => {
    const graphiql = new GraphiQL(await newPage());
    await graphiql.open(graphqlUrl);
    const email = uniqueEmail('expired');
    const first = await graphiql.signUpWith(email);

    t.clock.advance(t.config.tokens.accessTokenTtlSeconds + 1);
    expectError(await t.graphql(ME, {}, { token: first }), 'UNAUTHENTICATED', 'TOKEN_EXPIRED');
    await replaceContent(graphiql.page, graphiql.queryEditor, '{ me { email } }');
    await graphiql.run();
    await graphiql.waitForResult(new RegExp(`"me":\\{"email":"${email.replace(/[.]/g, '\\.')}"\\}`));

    await graphiql.openHeaders();
    const { Authorization } = JSON.parse(await editorText(graphiql.headersEditor)) as { Authorization: string };
    const second = Authorization.replace(/^Bearer /, '');
    expect(second).not.toBe(first);
    expect(expectNoErrors(await t.graphql(ME, {}, { token: second })).me?.email).toBe(email);
  });

  it('weighs at most 20 kB, and a second visit downloads at most 50 kB', async () => {
    // The app behind a server that counts what it sends for each request, headers
    // included: the browser's own cache decides what it asks for again.
    const sent: Array<{ path: string; bytes: number }> = [];
    let inFlight = 0;
    // The page's one POST is the schema's introspection. It is held until the editors are drawn, as
    // on a cold machine where it answers late: the page must be waited for by what it shows, not
    // by how soon the schema comes.
    let schemaHeld: Promise<void> = Promise.resolve();
    let releaseSchema = () => {};
    const counting = createServer((request, response) => {
      const { socket } = response;
      const before = socket?.bytesWritten ?? 0;
      inFlight += 1;
      response.on('close', () => {
        inFlight -= 1;
      });
      response.on('finish', () => sent.push({ path: request.url ?? '', bytes: (socket?.bytesWritten ?? 0) - before }));
      void (request.method === 'POST' ? schemaHeld : Promise.resolve()).then(() => t.app(request, response));
    });
    counting.listen(0, '127.0.0.1');
    await once(counting, 'listening');
    const url = `http://127.0.0.1:${(counting.address() as AddressInfo).port}/graphql`;
    try {
      const page = await newPage();
      const visit = async () => {
        sent.length = 0;
        schemaHeld = new Promise((resolve) => {
          releaseSchema = resolve;
        });
        const graphiql = new GraphiQL(page);
        const schema = page.waitForResponse((answer) => answer.request().method() === 'POST', { timeout: UI_TIMEOUT });
        await page.goto(url, { waitUntil: 'load', timeout: UI_TIMEOUT });
        await graphiql.queryEditor.locator('.view-line').first().waitFor({ timeout: UI_TIMEOUT });
        releaseSchema();
        await schema;
        // The documentation explorer has the schema. The second visit finds it still open from the
        // first (its button then offers to hide it): it is opened only when closed, whatever it shows yet.
        const show = page.getByRole('button', { name: 'Show Documentation Explorer', exact: true });
        if ((await show.count()) > 0) await show.click();
        await page.getByText('Root Types').waitFor({ timeout: UI_TIMEOUT });
        await untilEditorWorkersLoaded(page);
        // Every response the page asked for is counted.
        await expect.poll(() => inFlight, { timeout: UI_TIMEOUT }).toBe(0);
        return { requests: [...sent], bytes: sent.reduce((sum, request) => sum + request.bytes, 0) };
      };

      const first = await visit();
      const pageBytes = first.requests.find((request) => request.path === '/graphql')?.bytes ?? 0;
      const files = first.requests.filter((request) => request.path.startsWith('/graphiql/'));
      const second = await visit();
      console.info(
        `GraphiQL: the page ${pageBytes} B; first visit ${first.bytes} B in ${first.requests.length} requests ` +
          `(${files.length} files); second visit ${second.bytes} B in ${second.requests.length} requests`,
      );

      expect(pageBytes).toBeGreaterThan(500);
      expect(pageBytes).toBeLessThanOrEqual(20_000);
      // Scripts, styles, icon and the editors' three workers: each a file of its own.
      expect(files.length).toBeGreaterThanOrEqual(7);
      expect(second.bytes).toBeLessThanOrEqual(50_000);
      // The second visit takes every file from the browser's cache, without asking.
      expect(second.requests.filter((request) => request.path.startsWith('/graphiql/'))).toEqual([]);
    } finally {
      counting.closeAllConnections();
      counting.close();
    }
  });

  it('signs up from a typed document, then shows me with the token put in the headers pane', async () => {
    const graphiql = new GraphiQL(await newPage());
    await graphiql.open(graphqlUrl);
    const email = uniqueEmail('graphiql');

    await replaceContent(
      graphiql.page,
      graphiql.queryEditor,
      `mutation { signUp(email: "${email}", password: "${STRONG_PASSWORD}") { accessToken user { email } } }`,
    );
    await graphiql.run();
    const token = await graphiql.accessTokenFromResult();
    expect(await graphiql.waitForResult(/"user":/)).toContain(`"user":{"email":"${email}"}`);

    await graphiql.openHeaders();
    await replaceContent(graphiql.page, graphiql.headersEditor, `{"Authorization": "Bearer ${token}"}`);
    await replaceContent(graphiql.page, graphiql.queryEditor, '{ me { email } }');
    await graphiql.run();
    await graphiql.waitForResult(new RegExp(`"me":\\{"email":"${email.replace(/[.]/g, '\\.')}"\\}`));
  });

  describe('a frontend on another origin', () => {
    // A development server on another port: same host, so a different origin but
    // the same (loopback) address space, which the browser lets a page call.
    let frontend: Server;
    let frontendUrl: string;
    beforeAll(async () => {
      frontend = createServer((_request, response) => {
        response.setHeader('content-type', 'text/html');
        response.end('<!doctype html><title>Frontend</title>');
      });
      frontend.listen(0, '127.0.0.1');
      await once(frontend, 'listening');
      frontendUrl = `http://127.0.0.1:${(frontend.address() as AddressInfo).port}/`;
    });
    afterAll(async () => {
      frontend.closeAllConnections();
      frontend.close();
      await once(frontend, 'close');
    });

    it('signs up and asks for me with an Authorization header, which takes a preflight', async () => {
      const page = await newPage();
      const blocked: string[] = [];
      page.on('console', (message) => {
        if (/CORS/i.test(message.text())) blocked.push(message.text());
      });
      await page.goto(frontendUrl);
      expect(new URL(page.url()).origin).not.toBe(new URL(graphqlUrl).origin);
      const email = uniqueEmail('frontend');

      interface Answer {
        data?: { signUp?: { accessToken: string }; me?: { email: string } | null } | null;
        errors?: unknown[];
      }
      const answers = await page.evaluate(
        async ({ url, email, password }) => {
          const operations = [
            {
              query:
                'mutation ($email: String!, $password: String!) { signUp(email: $email, password: $password) { accessToken } }',
              variables: { email, password },
            },
            { query: '{ me { email } }', variables: {} },
          ];
          const results: Answer[] = [];
          let token: string | undefined;
          for (const operation of operations) {
            const response = await fetch(url, {
              method: 'POST',
              headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
              body: JSON.stringify(operation),
            });
            const answer = (await response.json()) as Answer;
            token ??= answer.data?.signUp?.accessToken;
            results.push(answer);
          }
          return results;
        },
        { url: graphqlUrl, email, password: STRONG_PASSWORD },
      );

      expect(blocked).toEqual([]);
      expect(answers[0]?.data?.signUp?.accessToken).toEqual(expect.any(String));
      expect(answers[1]).toEqual({ data: { me: { email } } });
    });

    it('asks for me over GET, as urql does by default, with and without a token', async () => {
      const page = await newPage();
      await page.goto(frontendUrl);
      const account = await signUp(t, { prefix: 'frontend-get' });
      const answers = await page.evaluate(
        async ({ url, token }) => {
          const get = async (authorization?: string) => {
            const response = await fetch(`${url}?query=${encodeURIComponent('{ me { email } }')}`, {
              headers: authorization ? { authorization } : {},
            });
            return { status: response.status, body: (await response.json()) as unknown };
          };
          return [await get(), await get(`Bearer ${token}`)];
        },
        { url: graphqlUrl, token: account.accessToken },
      );
      expect(answers).toEqual([
        { status: 200, body: { data: { me: null } } },
        { status: 200, body: { data: { me: { email: account.email } } } },
      ]);
    });
  });
});
