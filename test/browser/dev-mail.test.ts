import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  expectNoErrors,
  LOGIN,
  launchChromium,
  noBrowser,
  REQUEST_PASSWORD_RESET,
  RESET_PASSWORD,
  signUp,
  type TestApp,
} from '../fixtures/index.ts';

// A person trying Tollgate in a browser, with no mail server: the development
// mail page shows the reset mail, its link opens the frontend (here a stand-in
// page), and the token in that address resets the password.

describe.skipIf(noBrowser)('the development mail page in Chromium', { timeout: 120_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let frontend: Server;
  let frontendUrl: string;
  let serviceUrl: string;

  beforeAll(async () => {
    frontend = createServer((_request, response) => {
      response.setHeader('content-type', 'text/html');
      response.end('<!doctype html><title>Choose a new password</title><h1>Choose a new password</h1>');
    });
    frontend.listen(0, '127.0.0.1');
    await once(frontend, 'listening');
    frontendUrl = `http://127.0.0.1:${(frontend.address() as AddressInfo).port}`;
    // Each kept as it starts, so afterAll closes the app even if Chromium fails to launch.
    await Promise.all([
      createTestApp({ EMAIL_TRANSPORT: 'log', APP_URL: frontendUrl }, { mail: 'configured' }).then((app) => {
        t = app;
      }),
      launchChromium().then((launched) => {
        browser = launched;
      }),
    ]);
    serviceUrl = await t.listen();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    frontend?.closeAllConnections();
    frontend?.close();
  });

  it('shows the reset mail, whose link opens the frontend with a token that resets the password', async () => {
    const account = await signUp(t);
    expectNoErrors(await t.graphql(REQUEST_PASSWORD_RESET, { email: account.email }));
    await t.settle();

    const page = await browser.newPage();
    try {
      await page.goto(new URL('/dev/mail', serviceUrl).href);
      const mail = page.locator('article', { hasText: 'Reset your Tollgate password' }).first();
      await expect.poll(() => mail.textContent()).toContain(account.email);
      await mail.getByRole('link').first().click();
      await page.waitForURL(/\/reset-password\?token=/);
      expect(await page.title()).toBe('Choose a new password');

      const token = new URL(page.url()).searchParams.get('token') ?? '';
      const newPassword = 'quiet-meadow-compass-97';
      expectNoErrors(await t.graphql(RESET_PASSWORD, { token, newPassword }));
      expectNoErrors(await t.graphql(LOGIN, { email: account.email, password: newPassword }));
    } finally {
      await page.close();
    }
  });
});
