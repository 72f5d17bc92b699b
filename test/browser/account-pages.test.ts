import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  enableTotp,
  expectError,
  expectNoErrors,
  GraphiQL,
  createTestApp,
  LOGIN,
  launchChromium,
  noBrowser,
  REQUEST_EMAIL_CHANGE,
  REQUEST_PASSWORD_RESET,
  signUp,
  type TestApp,
  testDatabaseKind,
  UI_TIMEOUT,
  uniqueEmail,
  VERIFY_EMAIL,
  VIEWPORT,
} from '../fixtures/index.ts';

// The service's own pages for the links it mails, as a person meets them with
// `npm start` and no frontend: the mail on /dev/mail, its link, a page that says
// what it will do and does it on a click. Mail goes to the log transport, as in
// development, so /dev/mail shows it.

describe.skipIf(noBrowser)(`the account pages in Chromium (${testDatabaseKind})`, { timeout: 120_000 }, () => {
  let t: TestApp;
  let origin: string;
  let browser: Browser;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    [t, browser] = await Promise.all([createTestApp({}, { mail: 'configured' }), launchChromium()]);
    origin = new URL(await t.listen()).origin;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  }, 60_000);

  async function newPage(): Promise<Page> {
    context = await browser.newContext({ viewport: VIEWPORT, permissions: ['clipboard-read', 'clipboard-write'] });
    context.setDefaultTimeout(UI_TIMEOUT);
    return context.newPage();
  }
  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  /** The newest link to `path` that /dev/mail shows for `email`, as the page's own anchor. */
  async function followMailedLink(page: Page, email: string, path: string): Promise<void> {
    await t.settle();
    await page.goto(`${origin}/dev/mail`);
    const to = page.locator('article').filter({ has: page.locator('.meta b', { hasText: email }) });
    await to.locator(`a[href*="${path}?token="]`).first().click();
    await page.waitForURL(new RegExp(`${path}\\?token=`));
  }

  /** Every GraphQL request a page sends, to show which ones it made on load. */
  function graphqlRequests(page: Page): string[] {
    const sent: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/graphql') && request.method() === 'POST') sent.push(request.postData() ?? '');
    });
    return sent;
  }

  it('walks a newcomer through: sign up in GraphiQL, forget the password, reset it from /dev/mail, sign in, reload, refresh', async () => {
    const playground = await newPage();
    const graphiql = new GraphiQL(playground);
    await graphiql.open(`${origin}/graphql`);
    // The default document, as it is: ada@example.com signs up.
    await graphiql.runOperation('SignUp');
    await expect.poll(() => graphiql.tokenBar.textContent(), { timeout: UI_TIMEOUT }).toContain('ada@example.com');

    // "Forgot your password?", in another tab: the service's own page asks for the address.
    const page = await context!.newPage();
    await page.goto(`${origin}/account/forgot-password`);
    await page.getByLabel('Email address').fill('ada@example.com');
    await page.getByRole('button', { name: 'Mail me a link' }).click();
    await expect
      .poll(() => page.locator('#done').textContent(), { timeout: UI_TIMEOUT })
      .toContain('a link is on its way');

    // The mail, on /dev/mail, which says where its links lead; its link opens the reset page here.
    await t.settle();
    await page.goto(`${origin}/dev/mail`);
    await page.getByText(`open the service's own pages at ${origin}/account/`).waitFor();
    await followMailedLink(page, 'ada@example.com', '/account/reset-password');
    const newPassword = 'a new passphrase of my own';
    await page.getByLabel('New password').fill(newPassword);
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await expect
      .poll(() => page.locator('#done').textContent(), { timeout: UI_TIMEOUT })
      .toContain('Your new password is set');

    // Back in GraphiQL's tab: the reset ended the old session; sign in with the new password.
    await playground.bringToFront();
    await playground.evaluate(
      ([from, to]) => {
        interface Model {
          uri: { path: string };
          getValue(): string;
          setValue(text: string): void;
        }
        const editor = (globalThis as unknown as { monaco: { editor: { getModels(): Model[] } } }).monaco.editor;
        const query = editor.getModels().find((model) => model.uri.path.endsWith('operation.graphql'));
        query?.setValue(
          query
            .getValue()
            .replace(
              `login(email: "ada@example.com", password: "${from}")`,
              `login(email: "ada@example.com", password: "${to}")`,
            ),
        );
      },
      ['analytical-engine-1843', newPassword],
    );
    await graphiql.runOperation('Login');
    await graphiql.accessTokenFromResult();
    await expect.poll(() => graphiql.tokenBar.textContent(), { timeout: UI_TIMEOUT }).toContain('ada@example.com');

    // A reload, then the access token expires: Me still answers, the page refreshing once.
    await playground.reload();
    await graphiql.queryEditor.locator('.view-line').first().waitFor();
    await expect.poll(() => graphiql.tokenBar.textContent(), { timeout: UI_TIMEOUT }).toContain('ada@example.com');
    t.clock.advance(t.config.tokens.accessTokenTtlSeconds + 1);
    await graphiql.runOperation('Me');
    await graphiql.waitForResult(/"me":\{"id":"[^"]+","email":"ada@example\.com"/);
  });

  it('never act on load: a mail scanner opening each link uses nothing up', async () => {
    const account = await signUp(t);
    expectNoErrors(await t.graphql(REQUEST_PASSWORD_RESET, { email: account.email }));
    await t.settle();
    const page = await newPage();
    const sent = graphqlRequests(page);
    await followMailedLink(page, account.email, '/account/reset-password');
    // A scanner fetches without running scripts; a browser that opens the page sends nothing either.
    const link = page.url();
    const scanned = await fetch(link);
    expect(scanned.status).toBe(200);
    await page.reload();
    await page.getByRole('button', { name: 'Set the new password' }).waitFor();
    expect(sent).toEqual([]);
    // The link still works, on a click.
    await page.getByLabel('New password').fill('a new passphrase of my own');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('#done').textContent(), { timeout: UI_TIMEOUT })
      .toContain('Your new password is set');
    expect(sent).toHaveLength(1);
    expectNoErrors(await t.graphql(LOGIN, { email: account.email, password: 'a new passphrase of my own' }));
  });

  it('confirm an address with one click, focused and keyboard-ready; the link works once', async () => {
    const account = await signUp(t);
    const page = await newPage();
    const sent = graphqlRequests(page);
    await followMailedLink(page, account.email, '/account/verify-email');
    const confirm = page.getByRole('button', { name: 'Confirm my address' });
    await expect
      .poll(() => confirm.evaluate((button) => button === document.activeElement), { timeout: UI_TIMEOUT })
      .toBe(true);
    expect(sent).toEqual([]);
    await page.keyboard.press('Enter');
    const done = page.locator('#done');
    await expect.poll(() => done.textContent(), { timeout: UI_TIMEOUT }).toContain('Your address is confirmed');
    await expect
      .poll(() => done.evaluate((element) => element === document.activeElement), { timeout: UI_TIMEOUT })
      .toBe(true);
    // Again: the page says why, in its alert.
    await page.reload();
    await page.getByRole('button', { name: 'Confirm my address' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent(), { timeout: UI_TIMEOUT })
      .toContain('not valid any more');
  });

  it('ask for the mail’s code and address when opened without a link, and show a wrong code at its field', async () => {
    const account = await signUp(t);
    await t.settle();
    const page = await newPage();
    await page.goto(`${origin}/account/verify-email`);
    await page.getByLabel('Email address').fill(account.email);
    await page.getByLabel('Code from the mail').fill('0000 0000');
    await page.getByRole('button', { name: 'Confirm my address' }).click();
    const code = page.getByLabel('Code from the mail');
    await expect.poll(() => code.getAttribute('aria-invalid'), { timeout: UI_TIMEOUT }).toBe('true');
    await expect
      .poll(() => code.evaluate((input) => input === document.activeElement), { timeout: UI_TIMEOUT })
      .toBe(true);
    await expect
      .poll(() => page.locator('#code-from-mail-problem').textContent(), { timeout: UI_TIMEOUT })
      .toContain('not valid');
    expectError(await t.graphql(VERIFY_EMAIL, { token: '0000 0000', email: account.email }), 'BAD_USER_INPUT');
  });

  it('asks for the second factor on a reset of an account that has one', async () => {
    const account = await signUp(t);
    const app = await enableTotp(t, account);
    expectNoErrors(await t.graphql(REQUEST_PASSWORD_RESET, { email: account.email }));
    const page = await newPage();
    await followMailedLink(page, account.email, '/account/reset-password');
    await page.getByLabel('New password').fill('a new passphrase of my own');
    await page.getByRole('button', { name: 'Set the new password' }).click();
    const code = page.getByLabel('Code from your authenticator app, or a recovery code');
    await expect.poll(() => code.isVisible(), { timeout: UI_TIMEOUT }).toBe(true);
    await expect
      .poll(() => code.evaluate((input) => input === document.activeElement), { timeout: UI_TIMEOUT })
      .toBe(true);
    await code.fill(app.code());
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await expect
      .poll(() => page.locator('#done').textContent(), { timeout: UI_TIMEOUT })
      .toContain('Your new password is set');
  });

  it('secure an account from a notice, asking for the password when a second factor is to go', async () => {
    const account = await signUp(t);
    // The app turned on is the change its notice reports: undoing it takes the password too.
    await enableTotp(t, account);
    const page = await newPage();
    await followMailedLink(page, account.email, '/account/secure-account');
    await page.getByRole('button', { name: 'Secure my account' }).click();
    const password = page.getByLabel('Your password, as it was when the mail was sent');
    await expect.poll(() => password.isVisible(), { timeout: UI_TIMEOUT }).toBe(true);
    await password.fill(account.password);
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('#done').textContent(), { timeout: UI_TIMEOUT })
      .toContain('Your account is secured');
    expectError(
      await t.graphql(LOGIN, { email: account.email, password: account.password }),
      'FORBIDDEN',
      'PASSWORD_RESET_REQUIRED',
    );
  });

  it('confirm an email change, showing the new address', async () => {
    const account = await signUp(t);
    const newEmail = uniqueEmail('moved');
    expectNoErrors(
      await t.graphql(REQUEST_EMAIL_CHANGE, { newEmail, password: account.password }, { token: account.accessToken }),
    );
    const page = await newPage();
    await followMailedLink(page, newEmail, '/account/confirm-email-change');
    await page.getByRole('button', { name: 'Use this address' }).click();
    await expect
      .poll(() => page.locator('#done').textContent(), { timeout: UI_TIMEOUT })
      .toBe(`The address of the account is now ${newEmail}.`);
  });

  it('send no Referer, run only their own script, and cannot be framed', async () => {
    const response = await t.fetch('/account/reset-password?token=abc');
    expect(response.status).toBe(200);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("connect-src 'self'");
    expect((await t.fetch('/account/nothing-here')).status).toBe(404);
    // The page holds the token only in its address, never in its markup.
    expect(await response.text()).not.toContain('abc');
  });
});
