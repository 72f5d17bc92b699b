import { badUserInput } from '../../errors.ts';
import { totpAlreadyEnabled, totpNotEnabled, totpUnavailable } from './errors.ts';
import { checkCurrentPassword } from '../../auth/accounts/current-password.ts';
import { secureAccountLink } from '../../auth/one-time/secure-account-link.ts';
import type { SignedInViewer } from '../../auth/sessions/authenticate.ts';
import type { ClientInfo } from '../../auth/sessions/client.ts';
import { checkSecondFactorCode } from '../../auth/second-factor/codes.ts';
import type { FactorDeps } from '../../auth/second-factor/deps.ts';
import { checkMayAddSecondFactor } from '../../auth/second-factor/enrolment-guard.ts';
import { newRecoveryCodes } from './recovery-codes.ts';
import { refuseAdminsLastFactor } from '../../auth/second-factor/removal.ts';
import { totpMails } from './mails.ts';
import { removeTotp } from './removal.ts';
import { totpSettingsOf } from './settings.ts';
import { matchingStep, newTotpSecret, otpauthUri, totpSecretText } from './totp.ts';

export interface TotpSetup {
  /** The secret in base32, to type into an authenticator app. */
  secret: string;
  /** The same as an `otpauth://` URI, for a QR code. */
  otpauthUri: string;
}

async function hasTotp(deps: FactorDeps, userId: string): Promise<boolean> {
  const factor = await deps.prisma.totpFactor.findUnique({ where: { userId }, select: { confirmedAt: true } });
  return Boolean(factor?.confirmedAt);
}

/**
 * A new secret for an authenticator app, on a verified address, with the
 * password (and a step-up where another second factor is set up already). Nothing
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
  if (!encryption) throw totpUnavailable();
  if (await hasTotp(deps, viewer.user.id)) throw totpAlreadyEnabled();
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
    otpauthUri: otpauthUri(totpSettingsOf(deps.config).issuer, viewer.user.email, secret),
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
  if (!encryption) throw totpUnavailable();
  const userId = viewer.user.id;
  const pending = await deps.prisma.totpFactor.findUnique({ where: { userId } });
  if (pending?.confirmedAt) throw totpAlreadyEnabled();
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
  await deps.mailer.send(totpMails.changed(deps.mail, viewer.user.email, 'enabled', undefined, secure));
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
  if (!(await hasTotp(deps, viewer.user.id))) throw totpNotEnabled();
  await refuseAdminsLastFactor(deps, viewer, { method: 'totp', count: 1 });
  await checkCurrentPassword(deps, viewer.user, input.password);
  await checkSecondFactorCode(deps, viewer.user, input.code, client);
  await deps.prisma.$transaction((tx) => removeTotp(tx, viewer.user.id));
  await deps.audit.record({ type: 'TOTP_DISABLED', userId: viewer.user.id, sessionId: viewer.session.id }, client);
  await deps.mailer.send(totpMails.changed(deps.mail, viewer.user.email, 'disabled'));
  return true;
}

/** Ten new recovery codes, shown once; the old ones stop working. Takes a code (the app's, or a recovery code). */
export async function regenerateRecoveryCodes(
  deps: FactorDeps,
  viewer: SignedInViewer,
  code: string,
  client: ClientInfo,
): Promise<string[]> {
  if (!(await hasTotp(deps, viewer.user.id))) throw totpNotEnabled();
  await checkSecondFactorCode(deps, viewer.user, code, client);
  const userId = viewer.user.id;
  const { codes, stored } = newRecoveryCodes();
  const now = deps.clock.now();
  await deps.prisma.$transaction([
    deps.prisma.recoveryCode.deleteMany({ where: { userId } }),
    deps.prisma.recoveryCode.createMany({ data: stored.map((entry) => ({ userId, ...entry, createdAt: now })) }),
  ]);
  await deps.audit.record({ type: 'RECOVERY_CODES_REGENERATED', userId, sessionId: viewer.session.id }, client);
  await deps.mailer.send(totpMails.changed(deps.mail, viewer.user.email, 'codes-regenerated'));
  return codes;
}
