import { AppError, badUserInput, ErrorCode } from '../../errors.ts';
import { mails } from '../../mail/templates.ts';
import { checkCurrentPassword } from '../../auth/accounts/current-password.ts';
import type { ActorId } from '../../auth/accounts/admin.ts';
import { secureAccountLink } from '../../auth/one-time/secure-account-link.ts';
import type { SignedInViewer } from '../../auth/sessions/authenticate.ts';
import { isUuid, type ClientInfo } from '../../auth/sessions/sessions.ts';
import { checkSecondFactorCode } from '../../auth/second-factor/codes.ts';
import type { FactorDeps } from '../../auth/second-factor/deps.ts';
import { checkMayAddSecondFactor } from '../../auth/second-factor/enrolment-guard.ts';
import { newRecoveryCodes } from './recovery-codes.ts';
import { refuseAdminsLastFactor, removeSecondFactors } from '../../auth/second-factor/removal.ts';
import { matchingStep, newTotpSecret, otpauthUri, totpSecretText } from './totp.ts';

export interface TotpSetup {
  /** The secret in base32, to type into an authenticator app. */
  secret: string;
  /** The same as an `otpauth://` URI, for a QR code. */
  otpauthUri: string;
}

const unavailable = () =>
  new AppError('Second factors are not available: the service has no DATA_ENCRYPTION_KEY.', {
    code: ErrorCode.FORBIDDEN,
    reason: 'SECOND_FACTOR_UNAVAILABLE',
  });

const alreadyEnabled = () =>
  new AppError('An authenticator app is set up already; turn it off first to set up another.', {
    code: ErrorCode.FORBIDDEN,
    reason: 'TOTP_ALREADY_ENABLED',
  });

const notEnabled = () => badUserInput('code', 'No authenticator app is set up for this account.');

async function hasTotp(deps: FactorDeps, userId: string): Promise<boolean> {
  const factor = await deps.prisma.totpFactor.findUnique({ where: { userId }, select: { confirmedAt: true } });
  return Boolean(factor?.confirmedAt);
}

/**
 * A new secret for an authenticator app, on a verified address, with the
 * password (and a step-up where a passkey is a second factor already). Nothing
 * is active until `confirmTotp` proves the app computes its codes: a set-up left
 * halfway signs in nothing. Setting up again before confirming replaces the secret.
 */
export async function setUpTotp(
  deps: FactorDeps,
  viewer: SignedInViewer,
  password: string,
  client: ClientInfo,
): Promise<TotpSetup> {
  const { encryption } = deps;
  if (!encryption) throw unavailable();
  if (await hasTotp(deps, viewer.user.id)) throw alreadyEnabled();
  await checkMayAddSecondFactor(deps, viewer, { password }, client);
  const secret = newTotpSecret();
  const now = deps.clock.now();
  const sealed = encryption.seal(secret);
  await deps.prisma.totpFactor.upsert({
    where: { userId: viewer.user.id },
    create: { userId: viewer.user.id, secret: sealed, createdAt: now },
    // A confirmed factor is never replaced here (checked above, and again by the filter).
    update: { secret: sealed, createdAt: now, lastUsedStep: null },
  });
  await deps.audit.record({ type: 'TOTP_SETUP_STARTED', userId: viewer.user.id, sessionId: viewer.session.id }, client);
  return {
    secret: totpSecretText(secret),
    otpauthUri: otpauthUri(deps.secondFactors.totpIssuer, viewer.user.email, secret),
  };
}

/**
 * Turns the set-up authenticator app on with a first code from it, and returns
 * ten recovery codes, shown this once. Setting a factor up proves nothing of the
 * session: a session proves a second factor by signing in with one or by a
 * step-up (the admin fields need that). The owner gets a notice with the
 * "it was not me" link, which takes the app back off.
 */
export async function confirmTotp(
  deps: FactorDeps,
  viewer: SignedInViewer,
  code: string,
  client: ClientInfo,
): Promise<string[]> {
  const { encryption } = deps;
  if (!encryption) throw unavailable();
  const userId = viewer.user.id;
  const pending = await deps.prisma.totpFactor.findUnique({ where: { userId } });
  if (pending?.confirmedAt) throw alreadyEnabled();
  if (!pending) throw badUserInput('code', 'Set up an authenticator app first (setUpTotp).');
  const now = deps.clock.now();
  const step = matchingStep(encryption.open(pending.secret), code.trim(), now, null);
  if (step === null)
    throw badUserInput('code', 'The code is not correct: check the app shows this account, and the time on the phone.');
  const { codes, stored } = newRecoveryCodes();
  const confirmed = await deps.prisma.$transaction(async (tx) => {
    const { count } = await tx.totpFactor.updateMany({
      where: { userId, confirmedAt: null, createdAt: pending.createdAt },
      data: { confirmedAt: now, lastUsedStep: step },
    });
    if (count === 0) return false;
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await tx.recoveryCode.createMany({ data: stored.map((code) => ({ userId, ...code, createdAt: now })) });
    return true;
  });
  // Confirmed meanwhile by another request, or set up again: this code confirms nothing.
  if (!confirmed) throw badUserInput('code', 'The set-up changed meanwhile; set up the app again.');
  await deps.audit.record({ type: 'TOTP_ENABLED', userId, sessionId: viewer.session.id }, client);
  const secure = await secureAccountLink(deps.prisma, viewer.user, now, now);
  await deps.mailer.send(mails.secondFactorChanged(deps.mail, viewer.user.email, 'enabled', undefined, secure));
  return codes;
}

/**
 * Turns the authenticator app off, with the password and a code (from the app,
 * or a recovery code); not an admin's last second factor under REQUIRE_ADMIN_SECOND_FACTOR.
 */
export async function disableTotp(
  deps: FactorDeps,
  viewer: SignedInViewer,
  input: { password: string; code: string },
  client: ClientInfo,
): Promise<true> {
  if (!(await hasTotp(deps, viewer.user.id))) throw notEnabled();
  await refuseAdminsLastFactor(deps, viewer, { totp: true });
  await checkCurrentPassword(deps, viewer.user, input.password);
  await checkSecondFactorCode(deps, viewer.user, input.code, client);
  await deps.prisma.$transaction((tx) => removeSecondFactors(tx, viewer.user.id, { passkeys: false }));
  await deps.audit.record({ type: 'TOTP_DISABLED', userId: viewer.user.id, sessionId: viewer.session.id }, client);
  await deps.mailer.send(mails.secondFactorChanged(deps.mail, viewer.user.email, 'disabled'));
  return true;
}

/** Ten new recovery codes, shown once; the old ones stop working. Takes a code (the app's, or a recovery code). */
export async function regenerateRecoveryCodes(
  deps: FactorDeps,
  viewer: SignedInViewer,
  code: string,
  client: ClientInfo,
): Promise<string[]> {
  if (!(await hasTotp(deps, viewer.user.id))) throw notEnabled();
  await checkSecondFactorCode(deps, viewer.user, code, client);
  const userId = viewer.user.id;
  const { codes, stored } = newRecoveryCodes();
  const now = deps.clock.now();
  await deps.prisma.$transaction([
    deps.prisma.recoveryCode.deleteMany({ where: { userId } }),
    deps.prisma.recoveryCode.createMany({ data: stored.map((entry) => ({ userId, ...entry, createdAt: now })) }),
  ]);
  await deps.audit.record({ type: 'RECOVERY_CODES_REGENERATED', userId, sessionId: viewer.session.id }, client);
  await deps.mailer.send(mails.secondFactorChanged(deps.mail, viewer.user.email, 'codes-regenerated'));
  return codes;
}

/**
 * Support's answer to a lost phone and lost recovery codes: an admin (or the
 * command line) removes the account's second factors, its authenticator app and
 * its passkeys. The account signs in with its password alone until a new one is
 * set up; its owner gets a notice.
 */
export async function resetSecondFactor(deps: FactorDeps, actorId: ActorId, userId: string, client: ClientInfo) {
  if (!isUuid(userId)) throw badUserInput('userId', 'No user has this id.');
  const user = await deps.prisma.user.findUnique({ where: { id: userId } });
  if (!user) throw badUserInput('userId', 'No user has this id.');
  const removed = await deps.prisma.$transaction((tx) => removeSecondFactors(tx, userId, { passkeys: true }));
  const count = (removed.totp ? 1 : 0) + removed.passkeys.length;
  deps.logger.info({ event: 'second_factor_reset', userId, by: actorId, removed: count }, 'second factor reset');
  await deps.audit.record(
    { type: 'SECOND_FACTOR_RESET', userId, actorId: actorId ?? undefined, detail: { removed: count > 0 } },
    client,
  );
  if (count > 0) await deps.mailer.send(mails.secondFactorChanged(deps.mail, user.email, 'reset-by-admin'));
  return user;
}
