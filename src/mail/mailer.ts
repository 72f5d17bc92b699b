import type { Logger } from '../logger.ts';
import type { MailMessage } from './message.ts';
import type { MailOutbox, OutboxEntry } from './outbox.ts';
import type { MailTransport } from './transports.ts';

/** Waits between attempts: a second try soon, a third a little later; then the message is given up on. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [2_000, 15_000];

/**
 * How long a message is the sending instance's alone. Longer than every attempt
 * can take (three, each up to a few SMTP timeouts, and the waits between):
 * past it, the instance is taken to have stopped and another sends the message.
 */
export const OUTBOX_LEASE_MS = 10 * 60 * 1000;

/** A message taken over this many times without being sent is given up on: it is what stops the instances. */
const MAX_RECOVERIES = 3;

/** How many kept messages one look at the outbox takes over. */
const RECOVERED_AT_ONCE = 100;

export interface MailerOptions {
  transport: MailTransport;
  logger: Logger;
  /** Where messages wait until settled, so that a crash loses none; without one they live in memory only. */
  outbox?: MailOutbox | undefined;
  now?: () => Date;
  /** Delays before the second, third, … attempt. */
  retryDelaysMs?: readonly number[];
  onSent?: (kind: string) => void;
  onFailed?: (kind: string) => void;
}

/**
 * Sends mail off the request that asked for it: `send` resolves once the message
 * is kept in the outbox, and the request neither waits for the sending nor fails
 * with it. A message that cannot be sent is tried again; one that still cannot
 * is logged with the reason and counted (`tollgate_mail_failures_total`), never
 * dropped silently. One still waiting when the service stops, or crashes, stays
 * in the outbox for the next start. Nothing of the message but its kind and
 * recipient reaches the log.
 */
export class Mailer {
  readonly #options: MailerOptions;
  readonly #now: () => Date;
  readonly #pending = new Set<Promise<void>>();
  /** Ends the waits between attempts: a closing mailer tries once more at once, then keeps or gives up. */
  readonly #wakeUps = new Set<() => void>();
  #closing = false;

  constructor(options: MailerOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
  }

  /**
   * Keeps `message`, resolving once it is, then sends it. Never throws. Counted
   * as in progress from the start, so that `close` waits for it.
   */
  send(message: MailMessage): Promise<void> {
    return new Promise<void>((kept) => this.#track(this.#keepAndDeliver(message, kept)));
  }

  /**
   * Sends the messages another instance kept and stopped without sending: those
   * whose lease ended, or all of them when the database is this instance's alone.
   */
  async recover(all: boolean): Promise<void> {
    const { outbox, logger } = this.#options;
    if (!outbox || this.#closing) return;
    const now = this.#now();
    const entries = await outbox.claim({
      now,
      leasedUntil: new Date(now.getTime() + OUTBOX_LEASE_MS),
      limit: RECOVERED_AT_ONCE,
      all,
    });
    if (entries.length > 0) logger.info({ messages: entries.length }, 'sending mail kept by an instance that stopped');
    for (const entry of entries) this.#track(this.#recovered(entry));
  }

  /** Resolves when every message handed over so far is sent, kept for the next start, or given up on. */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  /** Lets messages in progress finish (retries included), then closes the transport. */
  async close(): Promise<void> {
    this.#closing = true;
    for (const wakeUp of this.#wakeUps) wakeUp();
    await this.idle();
    await this.#options.transport.close();
  }

  #track(delivery: Promise<void>): void {
    const tracked = delivery.finally(() => this.#pending.delete(tracked));
    this.#pending.add(tracked);
  }

  async #keepAndDeliver(message: MailMessage, kept: () => void): Promise<void> {
    const { outbox, logger } = this.#options;
    let id: string | undefined;
    if (outbox) {
      const now = this.#now();
      try {
        id = await outbox.add(message, now, new Date(now.getTime() + OUTBOX_LEASE_MS));
      } catch (error) {
        logger.warn({ mail: about(message), err: error }, 'mail kept in memory only: the outbox could not store it');
      }
    }
    kept();
    if (this.#closing && id === undefined) {
      logger.error({ mail: about(message) }, 'mail not sent: the service is stopping');
      this.#options.onFailed?.(message.kind);
      return;
    }
    await this.#deliver(message, id);
  }

  async #recovered(entry: OutboxEntry): Promise<void> {
    const { logger } = this.#options;
    const { message } = entry;
    if (entry.recoveries > MAX_RECOVERIES) {
      const to = message ? { to: message.to } : {};
      const reason = `taken over ${entry.recoveries} times without being sent`;
      logger.error({ mail: { kind: entry.kind, ...to }, reason }, GIVEN_UP);
      this.#options.onFailed?.(entry.kind);
      return this.#settled(entry.id, 'remove');
    }
    // Kept until its lease ends for an instance that holds the key (a rotation under way), or given up on.
    if (!message) {
      logger.warn({ mail: { kind: entry.kind } }, UNREADABLE);
      return;
    }
    return this.#deliver(message, entry.id);
  }

  async #deliver(message: MailMessage, id: string | undefined): Promise<void> {
    const { transport, logger, retryDelaysMs = DEFAULT_RETRY_DELAYS_MS } = this.#options;
    for (let attempt = 0; ; attempt++) {
      try {
        await transport.send(message);
        this.#options.onSent?.(message.kind);
        return this.#settled(id, 'remove');
      } catch (error) {
        const delay = this.#closing ? undefined : retryDelaysMs[attempt];
        const reason = describe(error);
        if (delay === undefined && this.#closing && id !== undefined) {
          logger.warn(
            { mail: about(message), attempts: attempt + 1, reason },
            'mail not sent yet: kept for the next start',
          );
          return this.#settled(id, 'release');
        }
        if (delay === undefined) {
          logger.error({ mail: about(message), attempts: attempt + 1, reason }, GIVEN_UP);
          this.#options.onFailed?.(message.kind);
          return this.#settled(id, 'remove');
        }
        logger.warn(
          { mail: about(message), attempt: attempt + 1, reason, retryInMs: delay },
          'mail not sent yet: trying again',
        );
        await this.#wait(delay);
      }
    }
  }

  /** Removes a settled message from the outbox, or releases one kept for the next start. */
  async #settled(id: string | undefined, how: 'remove' | 'release'): Promise<void> {
    const { outbox, logger } = this.#options;
    if (!outbox || id === undefined) return;
    try {
      if (how === 'remove') await outbox.remove(id);
      else await outbox.release(id, this.#now());
    } catch (error) {
      // Left as it was: a message sent may go out once more when its lease ends, and none is lost.
      logger.warn({ err: error, outbox: how }, 'the outbox could not be updated');
    }
  }

  #wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wakeUp = () => {
        clearTimeout(timer);
        this.#wakeUps.delete(wakeUp);
        resolve();
      };
      const timer = setTimeout(wakeUp, ms);
      this.#wakeUps.add(wakeUp);
    });
  }
}

const GIVEN_UP = 'mail could not be sent';
const UNREADABLE = 'mail kept under a key DATA_ENCRYPTION_KEY does not hold: left for an instance that has it';

const about = (message: MailMessage) => ({ kind: message.kind, to: message.to });

/** The transport's reason, without anything of the message: a code and the server's answer. */
function describe(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const { code, responseCode, command } = error as Error & { code?: string; responseCode?: number; command?: string };
  return {
    message: error.message,
    ...(code ? { code } : {}),
    ...(responseCode ? { responseCode } : {}),
    ...(command ? { command } : {}),
  };
}
