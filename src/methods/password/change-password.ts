import { badUserInput } from '../../errors.ts';
import { mails } from '../../mail/templates.ts';
import type { AccountDeps } from '../../auth/accounts/deps.ts';
import { checkCurrentPassword } from '../../auth/accounts/current-password.ts';
import { checkNewPassword } from '../../auth/accounts/rules.ts';
import { secureAccountLink } from '../../auth/one-time/secure-account-link.ts';
import { requireStepUp } from '../../auth/second-factor/step-up.ts';
import type { SignedInViewer } from '../../auth/sessions/authenticate.ts';
import type { ClientInfo } from '../../auth/sessions/client.ts';
import { revokeSessions } from '../../auth/sessions/revoke.ts';
import { signedIn, type SignedIn } from '../../auth/sessions/sessions.ts';
import { newOpaqueToken } from '../../crypto/opaque-tokens.ts';

/**
 * Sets a new password after checking the current one. Every other session ends;
 * this one continues with a fresh pair, and its earlier refresh tokens stop working.
 */
export async function changePassword(
  deps: AccountDeps,
  viewer: SignedInViewer,
  input: { currentPassword: string; newPassword: string; code?: string | null | undefined },
  client: ClientInfo,
): Promise<SignedIn> {
  await requireStepUp(deps, viewer, input.code, client);
  const { user, session } = viewer;
  await checkCurrentPassword(deps, user, input.currentPassword, 'currentPassword');
  await checkNewPassword(input.newPassword, user.email, 'newPassword');
  if (input.newPassword === input.currentPassword) {
    throw badUserInput('newPassword', 'The new password must differ from the current one.');
  }
  const passwordHash = await deps.hasher.hash(input.newPassword);
  const next = newOpaqueToken();
  const now = deps.clock.now();
  const updated = await deps.prisma.$transaction(async (tx) => {
    await revokeSessions(tx, { userId: user.id, id: { not: session.id } }, 'password_change', now);
    // Deleted rather than retired: an old token of this session then reads as
    // unknown, instead of as a replay that would end the session.
    await tx.refreshToken.deleteMany({ where: { sessionId: session.id } });
    await tx.session.update({
      where: { id: session.id },
      data: { lastUsedAt: now, refreshTokens: { create: { tokenHash: next.hash, createdAt: now } } },
    });
    return tx.user.update({ where: { id: user.id }, data: { passwordHash, passwordResetRequiredAt: null } });
  });
  await deps.audit.record({ type: 'PASSWORD_CHANGED', userId: user.id, sessionId: session.id }, client);
  const secure = await secureAccountLink(deps.prisma, user, now, now);
  await deps.mailer.send(mails.passwordChanged(deps.mail, user.email, 'changed', secure));
  return signedIn(deps.tokens, updated, session, next.token);
}
