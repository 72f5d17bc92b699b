import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  expectNoErrors,
  type Mailbox,
  mailingTo,
  PRODUCTION,
  REQUEST_PASSWORD_RESET,
  signUp,
  startMailbox,
  type TestApp,
  tokenFrom,
} from '../fixtures/index.ts';

// How mail leaves the service: through SMTP, retried, never failing or holding
// up the request that caused it, and never dropped without a trace; or, in
// development, written to the log and shown on a page.

const failuresIn = async (t: TestApp) => {
  const text = await (await t.fetch('/metrics')).text();
  const counts = [...text.matchAll(/^tollgate_mail_failures_total\{kind="([^"]+)"\} (\d+)/gm)];
  return Object.fromEntries(counts.map(([, kind, value]) => [kind, Number(value)]));
};

describe('through SMTP', () => {
  let mailbox: Mailbox;
  let t: TestApp;
  beforeAll(async () => {
    mailbox = await startMailbox();
    t = await createTestApp(mailingTo(mailbox), { mail: 'configured' });
  });
  afterAll(async () => {
    await t?.close();
    await mailbox?.close();
  });

  it('answers the request when the server refuses the mail, then logs the reason and counts the failure', async () => {
    const account = await signUp(t);
    mailbox.refuse();
    try {
      const response = await t.graphql(REQUEST_PASSWORD_RESET, { email: account.email });
      expect(response.body).toEqual({ data: { requestPasswordReset: true } });
      await t.settle();
    } finally {
      mailbox.accept();
    }
    const failure = t.logs.find((line) => line.msg === 'mail could not be sent');
    expect(failure).toMatchObject({ level: 'error', mail: { kind: 'password-reset', to: account.email } });
    expect(JSON.stringify(failure)).toMatch(/550/);
    expect(await failuresIn(t)).toMatchObject({ 'password-reset': 1 });
  });

  it('tries a refused message again, and delivers it once the server takes mail', async () => {
    const retrying = await createTestApp(mailingTo(mailbox), {
      sharing: t,
      mail: 'configured',
      mailRetryDelaysMs: [0, 0],
    });
    try {
      const account = await signUp(retrying);
      mailbox.refuseNext(2);
      expectNoErrors(await retrying.graphql(REQUEST_PASSWORD_RESET, { email: account.email }));
      await retrying.settle();
      // Refused twice, taken the third time: one message arrives, with a link that works.
      const reset = await mailbox.next(account.email, /Reset your/);
      expect(mailbox.to(account.email).filter((mail) => /Reset your/.test(mail.subject))).toHaveLength(1);
      expect(tokenFrom(reset, '/reset-password')).toMatch(/^[\w-]{20,}$/);
      expect(retrying.logs.filter((line) => line.msg === 'mail not sent yet: trying again')).toHaveLength(2);
      expect(await failuresIn(retrying)).toEqual({});
    } finally {
      await retrying.close();
    }
  });

  it('writes no token, link, subject or body to the log, even when sending fails', async () => {
    const account = await signUp(t);
    expectNoErrors(await t.graphql(REQUEST_PASSWORD_RESET, { email: account.email }));
    await t.settle();
    const token = tokenFrom(await mailbox.next(account.email, /Reset your/), '/reset-password');
    const log = t.logText();
    for (const secret of [token, encodeURIComponent(token), '/reset-password', 'Reset your']) {
      expect(log).not.toContain(secret);
    }
  });
});

describe('when the SMTP server is down', () => {
  it('answers the request at once, and logs and counts the failure', async () => {
    // Port 1 on loopback: nothing listens there, and no test is ever handed it (a
    // closed mailbox's port may be taken by another file's server meanwhile).
    const t = await createTestApp(mailingTo({ url: 'smtp://127.0.0.1:1' }), { mail: 'configured' });
    try {
      const account = await signUp(t);
      const started = performance.now();
      const response = await t.graphql(REQUEST_PASSWORD_RESET, { email: account.email });
      expect(performance.now() - started).toBeLessThan(2000);
      expect(response.body).toEqual({ data: { requestPasswordReset: true } });
      await t.settle();
      const failure = t.logs.find(
        (line) => line.msg === 'mail could not be sent' && JSON.stringify(line).includes('password-reset'),
      );
      expect(JSON.stringify(failure)).toMatch(/ECONNREFUSED/);
      expect(await failuresIn(t)).toMatchObject({ 'password-reset': 1, 'email-verification': 1 });
    } finally {
      await t.close();
    }
  });
});

describe('EMAIL_TRANSPORT=log (the development default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ EMAIL_TRANSPORT: 'log', APP_URL: 'https://app.example.com' }, { mail: 'configured' });
  });
  afterAll(() => t?.close());

  it('writes each message to the log: recipient, subject and link', async () => {
    const account = await signUp(t);
    expectNoErrors(await t.graphql(REQUEST_PASSWORD_RESET, { email: account.email }));
    await t.settle();
    const line = t.logs.find(
      (entry) => (entry.mail as { subject?: string } | undefined)?.subject === 'Reset your Tollgate password',
    );
    expect(line).toMatchObject({
      mail: { to: account.email, link: expect.stringMatching(/^https:\/\/app\.example\.com\/reset-password\?token=/) },
    });
  });

  it('shows the last messages on /dev/mail, links clickable', async () => {
    const account = await signUp(t);
    const response = await t.fetch('/dev/mail');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(html).toContain(account.email);
    expect(html).toMatch(/<a href="https:\/\/app\.example\.com\/verify-email\?token=[\w%-]+">/);
  });

  it('has no /dev/mail with SMTP or in production', async () => {
    const mailbox = await startMailbox();
    const smtp = await createTestApp(mailingTo(mailbox), { sharing: t, mail: 'configured' });
    const production = await createTestApp(PRODUCTION, { sharing: t });
    try {
      expect((await smtp.fetch('/dev/mail')).status).toBe(404);
      expect((await production.fetch('/dev/mail')).status).toBe(404);
    } finally {
      await smtp.close();
      await production.close();
      await mailbox.close();
    }
  });
});
