import { mails } from '../../mail/templates.ts';
import type { SignedInViewer } from '../sessions/authenticate.ts';
import { clientKey, type ClientInfo } from '../sessions/client.ts';
import {
  consumeOneTimeToken,
  invalidToken,
  type PresentedToken,
  presentedTokenHash,
  retireOneTimeTokens,
} from '../one-time/one-time-tokens.ts';
import type { MailFlowDeps } from '../deps.ts';
import { mailOneTimeToken } from '../one-time/mail-token.ts';

/**
 * Mails a verification link for the account's current address, after the
 * request has its answer; nothing is sent past the address's limit.
 */
export function queueVerificationMail(
  deps: MailFlowDeps,
  user: { id: string; email: string },
  client: ClientInfo,
): void {
  deps.background.run('email-verification', async () => {
    const ttlSeconds = deps.mail.emailVerificationTtlSeconds;
    const sent = await mailOneTimeToken(deps, {
      purpose: 'EMAIL_VERIFICATION',
      kind: 'email-verification',
      user,
      to: user.email,
      ttlSeconds,
      message: (mailed) => mails.emailVerification(deps.mail, user.email, mailed, ttlSeconds),
    });
    if (sent) await deps.audit.record({ type: 'EMAIL_VERIFICATION_SENT', userId: user.id }, client);
  });
}

/** Sends the caller a new verification link. False when the address is verified already (nothing is sent). */
export async function sendVerificationEmail(
  deps: MailFlowDeps,
  viewer: SignedInViewer,
  client: ClientInfo,
): Promise<boolean> {
  await deps.rateLimits.beforeMail(clientKey(client));
  if (viewer.user.emailVerifiedAt) return false;
  queueVerificationMail(deps, viewer.user, client);
  return true;
}

/** Marks the address the token was sent to as verified, if it is still the account's. */
export async function verifyEmail(deps: MailFlowDeps, presented: PresentedToken, client: ClientInfo): Promise<true> {
  const now = deps.clock.now();
  const tokenHash = await presentedTokenHash(deps.prisma, 'EMAIL_VERIFICATION', presented, now);
  const verified = await deps.prisma.$transaction(async (tx) => {
    const used = await consumeOneTimeToken(tx, 'EMAIL_VERIFICATION', tokenHash, now);
    if (!used) return null;
    // Bound to the address: a token for an address the account no longer has proves nothing.
    const { count } = await tx.user.updateMany({
      where: { id: used.userId, email: used.email },
      data: { emailVerifiedAt: now },
    });
    if (count !== 1) return null;
    // Verified: the other links of the mails before have nothing left to do.
    await retireOneTimeTokens(tx, used.userId, ['EMAIL_VERIFICATION'], now);
    return used;
  });
  if (!verified) throw invalidToken();
  await deps.audit.record({ type: 'EMAIL_VERIFIED', userId: verified.userId }, client);
  return true;
}
