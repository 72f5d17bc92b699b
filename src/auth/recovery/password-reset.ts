import { mails } from '../../mail/templates.ts';
import { checkNewPassword, normalizeEmail } from '../accounts/rules.ts';
import {
  consumeOneTimeToken,
  findUsableToken,
  invalidToken,
  type PresentedToken,
  presentedTokenHash,
} from '../one-time/one-time-tokens.ts';
import { endAccountAccess } from '../sessions/end-access.ts';
import { clientKey, type ClientInfo } from '../sessions/client.ts';
import { secondFactorRequired } from '../../errors.ts';
import { ANONYMOUS, type Viewer } from '../sessions/authenticate.ts';
import { checkSecondFactorCode } from '../second-factor/codes.ts';
import { promptFor, secondFactorOffers } from '../second-factor/factors.ts';
import { secondFactorIsRecent } from '../second-factor/step-up.ts';
import type { FactorDeps } from '../second-factor/deps.ts';
import type { MailFlowDeps } from '../deps.ts';
import { mailOneTimeToken, type TokenMail } from '../one-time/mail-token.ts';

/**
 * Always true for a well-formed email, in the same time whether an account has
 * it: the account is looked up, the token made and the mail sent after the
 * answer. An address over its limit, an unknown one and a disabled account get
 * no mail, and the answer does not say so.
 */
export async function requestPasswordReset(deps: MailFlowDeps, rawEmail: string, client: ClientInfo): Promise<true> {
  await deps.rateLimits.beforeMail(clientKey(client));
  const email = normalizeEmail(rawEmail);
  deps.background.run('password-reset', async () => {
    const user = await deps.prisma.user.findUnique({
      where: { email },
      select: { id: true, email: true, disabledAt: true },
    });
    await deps.audit.record({ type: 'PASSWORD_RESET_REQUESTED', userId: user?.id ?? null }, client);
    if (!user || user.disabledAt) return;
    await mailOneTimeToken(deps, passwordResetMail(deps, user));
  });
  return true;
}

/** A new reset token for the account, to its address: earlier reset links stop working past the live few. */
export function passwordResetMail(deps: MailFlowDeps, user: { id: string; email: string }): TokenMail {
  const ttlSeconds = deps.mail.passwordResetTtlSeconds;
  return {
    purpose: 'PASSWORD_RESET',
    kind: 'password-reset',
    user,
    to: user.email,
    ttlSeconds,
    message: (mailed) => mails.passwordReset(deps.mail, user.email, mailed, ttlSeconds),
  };
}

export interface ResetPasswordInput extends PresentedToken {
  newPassword: string;
  /** A second factor's code, for an account that has one. */
  code?: string | null | undefined;
}

/**
 * Sets a new password with a mailed token. The new password is checked before
 * the token is used, so a refused one leaves the link working. Every session
 * of the account ends, with whatever was started from them (an email change
 * waiting for its confirmation); nobody is signed in. The account's address
 * counts as verified: the token reached it.
 */
export async function resetPassword(
  deps: FactorDeps,
  input: ResetPasswordInput,
  client: ClientInfo,
  viewer: Viewer = ANONYMOUS,
): Promise<true> {
  const tokenHash = await presentedTokenHash(deps.prisma, 'PASSWORD_RESET', input, deps.clock.now());
  const found = await findUsableToken(deps.prisma, 'PASSWORD_RESET', tokenHash, deps.clock.now());
  const user = found && (await deps.prisma.user.findUnique({ where: { id: found.userId } }));
  // Bound to the address it was sent to: after an email change it no longer works.
  if (!found || !user || user.email !== found.email || user.disabledAt) throw invalidToken();
  await checkNewPassword(input.newPassword, user.email, 'newPassword');
  // An account with a second factor needs it too: a mailbox alone does not take it over. A code
  // proves it; so does a session of the account whose second factor is recent (one signed in with a factor that has no codes).
  const offers = await secondFactorOffers(deps, user.id);
  if (
    offers.length > 0 &&
    !(viewer.kind === 'user' && viewer.user.id === user.id && secondFactorIsRecent(deps, viewer))
  ) {
    if (!input.code) throw secondFactorRequired(offers, promptFor(deps.methods, offers));
    await checkSecondFactorCode(deps, user, input.code, client);
  }

  const passwordHash = await deps.hasher.hash(input.newPassword);
  const now = deps.clock.now();
  const done = await deps.prisma.$transaction(async (tx) => {
    const used = await consumeOneTimeToken(tx, 'PASSWORD_RESET', tokenHash, now);
    if (!used || used.userId !== user.id) return false;
    await tx.user.update({
      where: { id: user.id },
      data: { passwordHash, emailVerifiedAt: user.emailVerifiedAt ?? now, passwordResetRequiredAt: null },
    });
    await endAccountAccess(tx, deps.methods, user.id, 'password_reset', now);
    return true;
  });
  if (!done) throw invalidToken();
  await deps.audit.record({ type: 'PASSWORD_RESET', userId: user.id }, client);
  await deps.mailer.send(mails.passwordChanged(deps.mail, user.email, 'reset'));
  return true;
}
