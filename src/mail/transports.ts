import type { Transporter } from 'nodemailer';
import type { Logger } from '../logger.ts';
import type { MailMessage } from './message.ts';

/** Where messages go. `send` resolves once the message is accepted, and throws if it is not. */
export interface MailTransport {
  send(message: MailMessage): Promise<void>;
  close(): Promise<void>;
}

/** A message the log transport kept, for the development mail page. */
export interface KeptMessage extends MailMessage {
  from: string;
  sentAt: Date;
}

/** How many messages the log transport keeps for the development mail page. */
const KEPT_MESSAGES = 20;

/**
 * Development and tests: each message is a log line (recipient, subject, link, code),
 * so a person running `npm start` can follow every flow from the terminal, and
 * the last ones are kept for the development mail page.
 */
export function logTransport(from: string, logger: Logger, now: () => Date): MailTransport & { kept(): KeptMessage[] } {
  const kept: KeptMessage[] = [];
  return {
    async send(message) {
      kept.unshift({ ...message, from, sentAt: now() });
      kept.length = Math.min(kept.length, KEPT_MESSAGES);
      const { to, subject, link, code } = message;
      logger.info(
        { mail: { to, subject, ...(link ? { link } : {}), ...(code ? { code } : {}) } },
        `mail for ${to}: ${subject}${link ? ` (${link}${code ? `, code ${code}` : ''})` : ''}`,
      );
    },
    kept: () => [...kept],
    close: async () => {},
  };
}

/** How long SMTP may take to connect, greet and answer each command. */
const SMTP_TIMEOUT_MS = 10_000;

/**
 * SMTP through nodemailer: `smtps://` speaks TLS from the start, `smtp://` takes
 * STARTTLS when the server offers it; credentials come from the URL.
 */
export function smtpTransport(url: string, from: string): MailTransport {
  // nodemailer is loaded by the first message, not at start: ~8 MiB that a
  // service sending no mail does without.
  let transporter: Promise<Transporter> | undefined;
  const connect = async () => {
    const { default: nodemailer } = await import('nodemailer');
    return nodemailer.createTransport(
      { url, connectionTimeout: SMTP_TIMEOUT_MS, greetingTimeout: SMTP_TIMEOUT_MS, socketTimeout: SMTP_TIMEOUT_MS },
      { from },
    );
  };
  return {
    async send(message) {
      transporter ??= connect();
      await (await transporter).sendMail({
        // An address, never a string for nodemailer to parse: one recipient, whatever it holds.
        to: { name: '', address: message.to },
        subject: message.subject,
        text: message.text,
        html: message.html,
      });
    },
    close: async () => (await transporter)?.close(),
  };
}
