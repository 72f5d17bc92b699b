import type { Logger } from '../logger.ts';
import type { MailMessage } from './message.ts';
import type { MailTransport } from './transports.ts';

/** Waits between attempts: a second try soon, a third a little later; then the message is given up on. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [2_000, 15_000];

export interface MailerOptions {
  transport: MailTransport;
  logger: Logger;
  /** Delays before the second, third, … attempt. */
  retryDelaysMs?: readonly number[];
  onSent?: (kind: string) => void;
  onFailed?: (kind: string) => void;
}

/**
 * Sends mail off the request that asked for it: `send` returns at once, and the
 * request neither waits for the mail nor fails with it. A message that cannot be
 * sent is tried again; one that still cannot is logged with the reason and
 * counted (`tollgate_mail_failures_total`), never dropped silently. Nothing of
 * the message but its kind and recipient reaches the log.
 */
export class Mailer {
  readonly #options: MailerOptions;
  readonly #pending = new Set<Promise<void>>();
  /** Ends the waits between attempts: a closing mailer tries once more at once, then gives up. */
  readonly #wakeUps = new Set<() => void>();
  #closing = false;

  constructor(options: MailerOptions) {
    this.#options = options;
  }

  send(message: MailMessage): void {
    if (this.#closing) {
      this.#options.logger.error(
        { mail: { kind: message.kind, to: message.to } },
        'mail not sent: the service is stopping',
      );
      this.#options.onFailed?.(message.kind);
      return;
    }
    const delivery = this.#deliver(message).finally(() => this.#pending.delete(delivery));
    this.#pending.add(delivery);
  }

  /** Resolves when every message handed over so far is sent or given up on. */
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

  async #deliver(message: MailMessage): Promise<void> {
    const { transport, logger, retryDelaysMs = DEFAULT_RETRY_DELAYS_MS } = this.#options;
    const about = { kind: message.kind, to: message.to };
    for (let attempt = 0; ; attempt++) {
      try {
        await transport.send(message);
        this.#options.onSent?.(message.kind);
        return;
      } catch (error) {
        const delay = this.#closing ? undefined : retryDelaysMs[attempt];
        const reason = describe(error);
        if (delay === undefined) {
          logger.error({ mail: about, attempts: attempt + 1, reason }, 'mail could not be sent');
          this.#options.onFailed?.(message.kind);
          return;
        }
        logger.warn({ mail: about, attempt: attempt + 1, reason, retryInMs: delay }, 'mail not sent yet: trying again');
        await this.#wait(delay);
      }
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
