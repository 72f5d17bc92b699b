import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  launchChromium,
  noBrowser,
  ROOT,
  type RunningService,
  type ServiceData,
  sendGraphQL,
  serviceData,
  startService,
  type TestApp,
  uniqueEmail,
} from '../fixtures/index.ts';

// The passkey example page (examples/passkeys) in Chromium, against the service
// as `npm start` runs it with its development defaults. Chrome's virtual
// authenticator (the DevTools protocol's WebAuthn domain: CTAP2, internal,
// resident keys, user verification) stands in for a phone or a laptop's sensor;
// the browser, @simplewebauthn/browser and the server do the rest for real.

interface ExamplePage {
  origin: string;
  child: ChildProcess;
}

/** Runs examples/passkeys/serve.ts as its comment says, on a free localhost port, against `tollgateUrl`. */
async function serveExample(tollgateUrl: string): Promise<ExamplePage> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/passkeys/serve.ts'], {
    cwd: ROOT,
    env: { ...process.env, TOLLGATE_URL: tollgateUrl, PASSKEYS_PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const [line] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(() => {
      throw new Error('the example server exited');
    }),
  ])) as [string];
  const origin = /http:\/\/localhost:\d+/.exec(line)?.[0];
  if (!origin) throw new Error(`the example server said: ${line}`);
  return { origin, child };
}

/** Chrome's virtual authenticator on `page`: a platform authenticator that holds passkeys and verifies its user. */
async function addVirtualAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

const credentialsOf = async (authenticator: { cdp: CDPSession; authenticatorId: string }) =>
  (await authenticator.cdp.send('WebAuthn.getCredentials', { authenticatorId: authenticator.authenticatorId }))
    .credentials;

const PASSWORD = 'a passphrase long enough';

describe.skipIf(noBrowser)('passkeys in Chromium, with the example page', { timeout: 120_000 }, () => {
  let browser: Browser;
  let data: ServiceData;
  let service: RunningService;
  let example: ExamplePage;

  beforeAll(async () => {
    data = await serviceData();
    // Each kept as it starts, so afterAll stops the service even if Chromium fails to launch.
    await Promise.all([
      launchChromium().then((launched) => {
        browser = launched;
      }),
      startService(data.env).then((started) => {
        service = started;
      }),
    ]);
    example = await serveExample(service.url);
  }, 120_000);

  afterAll(async () => {
    example?.child.kill();
    await browser?.close();
    await service?.stop();
    await data?.remove();
  });

  /** The code of the verification mail to `email`, as the service's log transport wrote it (what /dev/mail shows). */
  const loggedCode = async (email: string) => {
    const line = await service.line(`mail for ${email}: Confirm your email address`);
    const code = /code (\d{4} \d{4})/.exec(line)?.[1];
    if (!code) throw new Error(`no code in: ${line}`);
    return code;
  };

  /** The example page in a fresh browser context with its own virtual authenticator. */
  async function openPage(origin = example.origin, mailedCode = loggedCode) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const authenticator = await addVirtualAuthenticator(page);
    await page.goto(origin);
    const status = page.locator('#status');
    const click = async (id: string, expected: RegExp) => {
      await page.click(`#${id}`);
      await expect.poll(() => status.textContent(), { timeout: 15_000 }).toMatch(expected);
    };
    /** Signs up, then confirms the address with the mailed code, as a person does before adding a passkey. */
    const signUp = async (email: string) => {
      await page.fill('#email', email);
      await page.fill('#password', PASSWORD);
      await click('sign-up', /^Signed in as/);
      await page.fill('#code', await mailedCode(email));
      await click('verify-email', /^Address confirmed\./);
    };
    return { page, context, authenticator, status, click, signUp };
  }

  it('registers a passkey and signs in with it: discoverable, email first, and as the second step of a login', async () => {
    const { page, context, authenticator, click, signUp } = await openPage();
    try {
      const email = uniqueEmail('passkey');
      await signUp(email);
      await page.fill('#passkey-name', 'Virtual laptop');
      await click('add-passkey', /^Passkey "Virtual laptop" added\./);
      await expect.poll(() => page.locator('#passkeys li').allTextContents()).toEqual(['Virtual laptop Remove']);

      const [credential] = await credentialsOf(authenticator);
      expect(credential?.isResidentCredential).toBe(true);
      const userHandle = Buffer.from(credential?.userHandle ?? '', 'base64').toString('latin1');
      expect(userHandle).not.toContain(email);

      await click('log-out', /^Signed out\./);
      await page.fill('#email', '');
      await click('passkey-sign-in', new RegExp(`^Signed in as ${email} \\(passkey\\)`));
      await click('log-out', /^Signed out\./);
      await page.fill('#email', email);
      await click('passkey-email-sign-in', /\(passkey, email first\)/);
      await click('log-out', /^Signed out\./);

      // The password alone no longer signs in: the passkey finishes the login.
      await page.fill('#password', PASSWORD);
      await click('log-in', new RegExp(`^Signed in as ${email} \\(password and passkey\\)`));

      // Removed (the second factor was proved a moment ago): it signs in no more, though the device keeps it.
      await page.locator('#passkeys li button', { hasText: 'Remove' }).click();
      await expect.poll(() => page.locator('#status').textContent()).toMatch(/^Passkey "Virtual laptop" removed\./);
      await expect.poll(() => page.locator('#passkeys li').count()).toBe(0);
      await click('log-out', /^Signed out\./);
      await page.fill('#email', '');
      await click('passkey-sign-in', /^Failed: UNAUTHENTICATED/);
      await page.fill('#email', email);
      await click('log-in', new RegExp(`^Signed in as ${email} \\(password\\)`));
    } finally {
      await context.close();
    }
  });

  it('refuses a replayed sign-in, and a passkey of one account answering a challenge made for another', async () => {
    const { page, context, authenticator, click, signUp } = await openPage();
    try {
      const alice = uniqueEmail('alice');
      const bob = uniqueEmail('bob');
      // The authenticator lists its credentials in no set order: each is told apart as it is made.
      const ids: string[] = [];
      for (const email of [alice, bob]) {
        await signUp(email);
        await click('add-passkey', /added\./);
        await click('log-out', /^Signed out\./);
        const made = (await credentialsOf(authenticator)).find((credential) => !ids.includes(credential.credentialId));
        ids.push(made?.credentialId ?? '');
      }
      const [aliceKey, bobKey] = ids;
      expect(aliceKey && bobKey && aliceKey !== bobKey).toBeTruthy();

      // The options name no passkey (they would tell who has one): the browser offers all it holds for
      // the site, and the person picks one. Here the page's answer names the one Alice picks.
      const picking = (key: string | undefined) =>
        page.route(service.url, async (route) => {
          if (!route.request().postData()?.includes('passkeyLoginOptions')) return route.continue();
          const response = await route.fetch();
          const answer = (await response.json()) as { data: { passkeyLoginOptions: { allowCredentials: object[] } } };
          expect(answer.data.passkeyLoginOptions.allowCredentials ?? []).toEqual([]);
          answer.data.passkeyLoginOptions.allowCredentials = [
            { id: Buffer.from(key ?? '', 'base64').toString('base64url'), type: 'public-key' },
          ];
          return route.fulfill({ response, json: answer });
        });
      await picking(aliceKey);

      // Replay: the very request the browser sent, sent again.
      const sent = page.waitForRequest((request) => request.postData()?.includes('loginWithPasskey') ?? false);
      await page.fill('#email', alice);
      await click('passkey-email-sign-in', new RegExp(`^Signed in as ${alice}`));
      const replay = JSON.parse((await sent).postData() ?? '{}') as {
        query: string;
        variables: Record<string, unknown>;
      };
      const replayed = await sendGraphQL(service.url, replay.query, replay.variables);
      expect(replayed.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      await click('log-out', /^Signed out\./);

      // Alice's email-first options (their challenge bound to her account), answered with Bob's passkey.
      await page.unrouteAll();
      await picking(bobKey);
      await page.fill('#email', alice);
      await click('passkey-email-sign-in', /^Failed: UNAUTHENTICATED/);
    } finally {
      await context.close();
    }
  });

  describe('on a page of an origin the service does not list', () => {
    let t: TestApp;
    let other: ExamplePage;

    beforeAll(async () => {
      t = await createTestApp({ WEBAUTHN_ORIGINS: 'http://localhost:1' });
      other = await serveExample(await t.listen());
    }, 120_000);

    afterAll(async () => {
      other?.child.kill();
      await t?.close();
    });

    it('refuses to register a passkey, saying why', async () => {
      const captured = async (email: string) => {
        await t.settle();
        return t.mail.findLast((mail) => mail.to === email && mail.kind === 'email-verification')?.code ?? '';
      };
      const { context, click, signUp } = await openPage(other.origin, captured);
      try {
        await signUp(uniqueEmail('elsewhere'));
        await click('add-passkey', /^Failed: BAD_USER_INPUT: This page may not use passkeys/);
      } finally {
        await context.close();
      }
    });
  });
});
