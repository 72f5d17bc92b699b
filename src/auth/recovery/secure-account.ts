import type { User } from '../../generated/prisma/client.ts';
import {
  consumeOneTimeToken,
  invalidToken,
  type PresentedToken,
  presentedTokenHash,
} from '../one-time/one-time-tokens.ts';
import { type ClientInfo, revokeSessions } from '../sessions/sessions.ts';
import type { MailFlowDeps } from './deps.ts';
import { mailPasswordReset } from './password-reset.ts';

/**
 * The "it was not me" link of a new sign-in notice: every session of the account
 * ends at once, and its password signs nobody in (FORBIDDEN, PASSWORD_RESET_REQUIRED)
 * until a new one is set, with the reset link mailed now or a passkey's session.
 * Whoever had the password keeps nothing; the mailbox's owner gets the account back.
 */
export async function secureAccount(deps: MailFlowDeps, presented: PresentedToken, client: ClientInfo): Promise<true> {
  const now = deps.clock.now();
  const tokenHash = await presentedTokenHash(deps.prisma, 'SECURE_ACCOUNT', presented, now);
  const secured = await deps.prisma.$transaction(async (tx): Promise<Pick<User, 'id' | 'email'> | null> => {
    const used = await consumeOneTimeToken(tx, 'SECURE_ACCOUNT', tokenHash, now);
    if (!used) return null;
    // Bound to the address: a link mailed to an address the account no longer has proves nothing.
    const { count } = await tx.user.updateMany({
      where: { id: used.userId, email: used.email },
      data: { passwordResetRequiredAt: now },
    });
    if (count !== 1) return null;
    await revokeSessions(tx, { userId: used.userId }, 'account_secured', now);
    return { id: used.userId, email: used.email };
  });
  if (!secured) throw invalidToken();
  await deps.audit.record({ type: 'ACCOUNT_SECURED', userId: secured.id }, client);
  deps.background.run('secure-account', () => mailPasswordReset(deps, secured));
  return true;
}
