import { badUserInput } from '../../errors.ts';
import { mails } from '../../mail/templates.ts';
import { requireStepUp } from '../second-factor/step-up.ts';
import type { User } from '../../generated/prisma/client.ts';
import { secureAccountLink } from '../one-time/secure-account-link.ts';
import { checkCurrentPassword } from './current-password.ts';
import type { AccountDeps } from './sign-in.ts';
import { checkNewPassword, normalizeName } from './rules.ts';
import type { SignedInViewer } from '../sessions/authenticate.ts';
import { newOpaqueToken } from '../../crypto/opaque-tokens.ts';
import { revokeSessions, signedIn, type ClientInfo, type SignedIn } from '../sessions/sessions.ts';

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

/** Sets the name; null or "" removes it, and leaving the argument out changes nothing. */
export async function updateName(
  deps: AccountDeps,
  viewer: SignedInViewer,
  name: string | null | undefined,
): Promise<User> {
  if (name === undefined) return viewer.user;
  return deps.prisma.user.update({ where: { id: viewer.user.id }, data: { name: normalizeName(name) } });
}

/** Deletes the account, its sessions and tokens, once the password is confirmed. The email is free again. */
export async function deleteAccount(
  deps: AccountDeps,
  viewer: SignedInViewer,
  input: { password: string; code?: string | null | undefined },
  client: ClientInfo,
): Promise<true> {
  await requireStepUp(deps, viewer, input.code, client);
  const { password } = input;
  await checkCurrentPassword(deps, viewer.user, password, 'password');
  await deps.prisma.user.delete({ where: { id: viewer.user.id } });
  await deps.audit.record({ type: 'ACCOUNT_DELETED', userId: viewer.user.id }, client);
  return true;
}
