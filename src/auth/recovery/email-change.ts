import { isUniqueViolation } from '../../db/errors.ts';
import { badUserInput, emailTaken } from '../../errors.ts';
import type { User } from '../../generated/prisma/client.ts';
import { mails } from '../../mail/templates.ts';
import { checkCurrentPassword } from '../accounts/current-password.ts';
import { normalizeEmail } from '../accounts/rules.ts';
import { secureAccountLink } from '../one-time/secure-account-link.ts';
import {
  consumeOneTimeToken,
  invalidToken,
  type PresentedToken,
  presentedTokenHash,
} from '../one-time/one-time-tokens.ts';
import type { SignedInViewer } from '../sessions/authenticate.ts';
import { clientKey, type ClientInfo } from '../sessions/client.ts';
import type { FactorDeps } from '../second-factor/deps.ts';
import { requireStepUp } from '../second-factor/step-up.ts';
import type { MailFlowDeps } from '../deps.ts';
import { mailOneTimeToken } from '../one-time/mail-token.ts';

/**
 * Mails a confirmation link to the new address and a notice to the current one,
 * once the password is confirmed. Nothing changes until the link is followed.
 * Whether another account has the new address is told at confirmation only:
 * this answer says nothing about other accounts.
 */
export async function requestEmailChange(
  deps: FactorDeps,
  viewer: SignedInViewer,
  input: { newEmail: string; password: string; code?: string | null | undefined },
  client: ClientInfo,
): Promise<true> {
  await deps.rateLimits.beforeMail(clientKey(client));
  await requireStepUp(deps, viewer, input.code, client);
  const newEmail = normalizeEmail(input.newEmail, 'newEmail');
  const { user } = viewer;
  await checkCurrentPassword(deps, user, input.password);
  if (newEmail === user.email) throw badUserInput('newEmail', 'This is already the address of your account.');

  await deps.audit.record({ type: 'EMAIL_CHANGE_REQUESTED', userId: user.id, sessionId: viewer.session.id }, client);
  deps.background.run('email-change', async () => {
    const ttlSeconds = deps.mail.emailVerificationTtlSeconds;
    const sent = await mailOneTimeToken(deps, {
      purpose: 'EMAIL_CHANGE',
      kind: 'email-change',
      user,
      to: newEmail,
      ttlSeconds,
      message: (mailed) => mails.emailChange(deps.mail, newEmail, mailed, ttlSeconds),
    });
    if (!sent) return;
    const now = deps.clock.now();
    const secure = await secureAccountLink(deps.prisma, user, now, now);
    await deps.mailer.send(mails.emailChangeRequested(deps.mail, user.email, newEmail, secure));
  });
  return true;
}

/**
 * Makes the address the token was mailed to the account's, verified. EMAIL_TAKEN
 * if another account took it meanwhile (the token then stays usable, should that
 * account let it go). The old address gets a notice whose "it was not me" link,
 * bound to the old address, gives it back.
 */
export async function confirmEmailChange(
  deps: MailFlowDeps,
  presented: PresentedToken,
  client: ClientInfo,
): Promise<User> {
  const now = deps.clock.now();
  const tokenHash = await presentedTokenHash(deps.prisma, 'EMAIL_CHANGE', presented, now);
  let changed: { before: User; after: User } | null;
  try {
    changed = await deps.prisma.$transaction(async (tx) => {
      const used = await consumeOneTimeToken(tx, 'EMAIL_CHANGE', tokenHash, now);
      const before = used && (await tx.user.findUnique({ where: { id: used.userId } }));
      if (!used || !before || before.disabledAt) return null;
      const after = await tx.user.update({
        where: { id: before.id },
        data: { email: used.email, emailVerifiedAt: now, emailChangedAt: now },
      });
      return { before, after };
    });
  } catch (error) {
    // Thrown inside the transaction, so the token was not used up.
    if (isUniqueViolation(error)) throw emailTaken('token');
    throw error;
  }
  if (!changed) throw invalidToken();
  const { before, after } = changed;
  await deps.audit.record({ type: 'EMAIL_CHANGED', userId: after.id }, client);
  const secure = await secureAccountLink(deps.prisma, before, now, now);
  await deps.mailer.send(mails.emailChanged(deps.mail, before.email, after.email, secure));
  return after;
}
