import type { OneTimeTokenPurpose } from '../../generated/prisma/client.ts';
import type { MailMessage } from '../../mail/message.ts';
import type { MailedToken } from '../../mail/templates.ts';
import type { MailFlowDeps } from '../deps.ts';
import { issueOneTimeToken } from './one-time-tokens.ts';

export interface TokenMail {
  purpose: OneTimeTokenPurpose;
  /** The mail's kind, in the log line of a mail not sent. */
  kind: string;
  user: { id: string };
  /** Where the token goes (the account's address, or the address it is changing to); the token is bound to it. */
  to: string;
  ttlSeconds: number;
  message(mailed: MailedToken): MailMessage;
}

/**
 * A new one-time token, mailed to `to`, unless that mailbox is over its limit:
 * then nothing is made or sent, the log says so, and false is returned. The
 * request that asked has its answer already, the same either way.
 */
export async function mailOneTimeToken(deps: MailFlowDeps, mail: TokenMail): Promise<boolean> {
  if (!(await deps.rateLimits.mayMail(mail.to))) {
    deps.logger.info(
      { event: 'mail_limited', kind: mail.kind, userId: mail.user.id },
      `${mail.kind} mail not sent: the address is over its limit`,
    );
    return false;
  }
  await sendOneTimeToken(deps, mail);
  return true;
}

/** A new one-time token, mailed to `to` whatever its limit (a reset the owner's own "it was not me" asked for). */
export async function sendOneTimeToken(deps: MailFlowDeps, mail: TokenMail): Promise<void> {
  const mailed = await issueOneTimeToken(deps.prisma, {
    purpose: mail.purpose,
    userId: mail.user.id,
    email: mail.to,
    ttlSeconds: mail.ttlSeconds,
    now: deps.clock.now(),
  });
  await deps.mailer.send(mail.message(mailed));
}
