import { randomBytes } from 'node:crypto';
import { describe, expect } from 'vitest';
import { OUTBOX_LEASE_MS } from '../../src/mail/mailer.ts';
import type { MailTransport } from '../../src/mail/transports.ts';
import {
  createTestApp,
  expectNoErrors,
  type Mailbox,
  mailingTo,
  PRODUCTION,
  REQUEST_PASSWORD_RESET,
  RESET_PASSWORD,
  signUp,
  type TestApp,
  tokenFrom,
} from '../fixtures/index.ts';
import { test as it } from '../fixtures/suite.ts';

// Mail outlives the instance that was to send it: a message is kept in the
// database until it is sent or given up on, so one that an instance could not
// send before it stopped, or crashed, is sent by the next one.

const RESET_SUBJECT = /Reset your Tollgate password/;
const NEW_PASSWORD = 'another correct horse battery';

let mailbox: Mailbox;
let base: TestApp;
it.beforeAll(({ mailingApp, mailbox: box }) => {
  base = mailingApp;
  mailbox = box;
});

/** Another instance of the service on the same database and clock. */
const instance = (
  mail: 'configured' | MailTransport,
  mailRetryDelaysMs: readonly number[] = [],
  env: Record<string, string> = {},
) => createTestApp(mailingTo(mailbox, env), { sharing: base, clock: base.clock, mail, mailRetryDelaysMs });

/**
 * An instance asks for a reset mail while the server refuses it, then stops:
 * the message is kept. Returns the stopped instance, for its log.
 */
async function keptAtShutdown(email: string, env: Record<string, string> = {}): Promise<TestApp> {
  const first = await instance('configured', [60_000], env);
  mailbox.refuse();
  try {
    expectNoErrors(await first.graphql(REQUEST_PASSWORD_RESET, { email }));
    await first.services.background.idle();
  } finally {
    await first.close();
    mailbox.accept();
  }
  return first;
}

/** Starts another instance, which looks at the outbox as it starts listening, runs `then`, and stops it. */
async function startedInstance(env: Record<string, string>, then: (t: TestApp) => Promise<void>): Promise<TestApp> {
  const t = await instance('configured', [], env);
  try {
    await t.tollgate.listen();
    await then(t);
  } finally {
    await t.close();
  }
  return t;
}

const resetMailsTo = (email: string) => mailbox.to(email).filter((mail) => RESET_SUBJECT.test(mail.subject));

async function expectResetWorks(t: TestApp, email: string): Promise<void> {
  const mail = await mailbox.next(email, RESET_SUBJECT);
  const token = tokenFrom(mail, '/reset-password');
  expectNoErrors(await t.graphql(RESET_PASSWORD, { token, newPassword: NEW_PASSWORD }));
}

describe('mail not yet sent', () => {
  it('is kept when the service stops with the server still refusing it, and sent by the next start', async () => {
    const account = await signUp(base);
    const first = await keptAtShutdown(account.email);
    expect(first.logs.find((line) => line.msg === 'mail not sent yet: kept for the next start')).toMatchObject({
      mail: { kind: 'password-reset', to: account.email },
    });
    expect(first.logs.some((line) => line.msg === 'mail could not be sent')).toBe(false);
    expect(resetMailsTo(account.email)).toHaveLength(0);

    await startedInstance({}, async (next) => {
      await expectResetWorks(next, account.email);
      await next.settle();
      expect(resetMailsTo(account.email)).toHaveLength(1);
    });
  });

  it('is taken over from an instance that stopped answering once its lease ends, and sent once', async () => {
    const account = await signUp(base);
    let cutOff: (error: Error) => void = () => {};
    const stalled = await instance({
      send: () => new Promise((_sent, refused) => (cutOff = refused)),
      close: async () => {},
    });
    try {
      expectNoErrors(await stalled.graphql(REQUEST_PASSWORD_RESET, { email: account.email }));
      await stalled.services.background.idle();

      // While the lease holds, another instance leaves the message to the one sending it.
      await startedInstance({}, (early) => early.settle());
      expect(resetMailsTo(account.email)).toHaveLength(0);

      base.clock.advance(OUTBOX_LEASE_MS / 1000);
      await startedInstance({}, (later) => expectResetWorks(later, account.email));
    } finally {
      const closing = stalled.close();
      cutOff(new Error('connection reset'));
      await closing;
    }
    expect(resetMailsTo(account.email)).toHaveLength(1);
  });

  it('is removed once sent: a later start sends nothing again', async () => {
    const account = await signUp(base);
    expectNoErrors(await base.graphql(REQUEST_PASSWORD_RESET, { email: account.email }));
    await base.settle();
    expect(resetMailsTo(account.email)).toHaveLength(1);

    base.clock.advance(OUTBOX_LEASE_MS / 1000);
    await startedInstance({}, (next) => next.settle());
    expect(resetMailsTo(account.email)).toHaveLength(1);
  });

  it('lives in memory only in production without DATA_ENCRYPTION_KEY, which the start says, and is still sent', async () => {
    const production = await createTestApp(
      { ...PRODUCTION, DATA_ENCRYPTION_KEY: '', ...mailingTo(mailbox) },
      {
        sharing: base,
        mail: 'configured',
      },
    );
    try {
      expect(production.logs.find((line) => String(line.msg).startsWith('DATA_ENCRYPTION_KEY is unset'))?.msg).toMatch(
        /mail not yet sent is kept in memory only/,
      );
      const account = await signUp(base);
      expectNoErrors(await production.graphql(REQUEST_PASSWORD_RESET, { email: account.email }));
      await expectResetWorks(production, account.email);
    } finally {
      await production.close();
    }
  });

  it('sealed under a key an instance lacks is left for one that has it, as while a key rotates', async () => {
    const oldKey = { DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
    const newKey = { DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
    const account = await signUp(base);
    await keptAtShutdown(account.email, oldKey);

    const lacking = await startedInstance(newKey, (t) => t.settle());
    expect(lacking.logs.find((line) => String(line.msg).startsWith('mail kept under a key'))).toMatchObject({
      level: 'warn',
      mail: { kind: 'password-reset' },
    });
    expect(lacking.logs.some((line) => line.msg === 'mail could not be sent')).toBe(false);
    expect(resetMailsTo(account.email)).toHaveLength(0);

    base.clock.advance(OUTBOX_LEASE_MS / 1000);
    const bothKeys = { DATA_ENCRYPTION_KEY: `${newKey.DATA_ENCRYPTION_KEY},${oldKey.DATA_ENCRYPTION_KEY}` };
    await startedInstance(bothKeys, (holding) => expectResetWorks(holding, account.email));
  });

  it('is given up on, logged and counted, once taken over more than three times without being sent', async () => {
    const key = { DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
    const otherKey = { DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
    const account = await signUp(base);
    await keptAtShutdown(account.email, key);

    // Each start without the key takes the message over, and leaves it until its lease ends.
    const logs: Record<string, unknown>[] = [];
    let failures = '';
    for (let start = 1; start <= 4; start++) {
      const lacking = await startedInstance(otherKey, async (t) => {
        await t.settle();
        failures = await (await t.fetch('/metrics')).text();
      });
      logs.push(...lacking.logs);
      base.clock.advance(OUTBOX_LEASE_MS / 1000);
    }
    expect(logs.filter((line) => String(line.msg).startsWith('mail kept under a key'))).toHaveLength(3);
    expect(logs.find((line) => line.msg === 'mail could not be sent')).toMatchObject({
      level: 'error',
      mail: { kind: 'password-reset' },
      reason: 'taken over 4 times without being sent',
    });
    expect(failures).toMatch(/^tollgate_mail_failures_total\{kind="password-reset"\} 1$/m);

    await startedInstance(key, (holding) => holding.settle());
    expect(resetMailsTo(account.email)).toHaveLength(0);
  });
});
