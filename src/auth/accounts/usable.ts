import { accountDisabled, emailNotVerified } from '../../errors.ts';
import type { User } from '../../generated/prisma/client.ts';
import type { MailFlowDeps } from '../deps.ts';
import { queueVerificationMail } from '../recovery/email-verification.ts';
import type { ClientInfo } from '../sessions/client.ts';

/**
 * Once who is signing in is proved (the right password, or another first step), and only
 * then, so that neither refusal says anything to a guesser: a disabled account,
 * and an unverified one when verification is required.
 */
export async function refuseUnusable(deps: MailFlowDeps, user: User, client: ClientInfo): Promise<void> {
  if (user.disabledAt) {
    await deps.audit.record({ type: 'LOGIN_FAILED', userId: user.id, detail: { reason: 'account_disabled' } }, client);
    throw accountDisabled();
  }
  if (deps.mail.requireEmailVerification && !user.emailVerifiedAt) {
    await deps.audit.record(
      { type: 'LOGIN_FAILED', userId: user.id, detail: { reason: 'email_not_verified' } },
      client,
    );
    // With no session there is no other way to ask again; the per-address limit keeps it to a few.
    queueVerificationMail(deps, user, client);
    throw emailNotVerified();
  }
}
