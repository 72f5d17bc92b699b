import { AppError, badUserInput, ErrorCode } from '../../errors.ts';
import { mails } from '../../mail/templates.ts';
import { checkPasswordLength } from '../accounts/rules.ts';
import type { ActorId } from '../accounts/admin.ts';
import type { SignedInViewer } from '../sessions/authenticate.ts';
import { isUuid, type ClientInfo } from '../sessions/sessions.ts';
import { checkSecondFactorCode } from './codes.ts';
import type { FactorDeps } from './deps.ts';
import { newRecoveryCodes } from './recovery-codes.ts';
import { requireStepUp } from './step-up.ts';
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

async function checkPassword(deps: FactorDeps, viewer: SignedInViewer, password: string): Promise<void> {
  checkPasswordLength(password);
  if (!(await deps.hasher.verify(password, viewer.user.passwordHash))) {
    throw badUserInput('password', 'The password is not correct.');
  }
}

/**
 * A new secret for an authenticator app. Nothing is active until `confirmTotp`
 * proves the app computes its codes: a set-up left halfway signs in nothing.
 * Setting up again before confirming replaces the secret.
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
  // A passkey is a second factor already: adding another needs it proved recently.
  await requireStepUp(deps, viewer, undefined, client);
  await checkPassword(deps, viewer, password);
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
 * ten recovery codes, shown this once. The session that confirmed counts as
 * having just proved its second factor.
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
    await tx.session.update({ where: { id: viewer.session.id }, data: { secondFactorAt: now } });
    return true;
  });
  // Confirmed meanwhile by another request, or set up again: this code confirms nothing.
  if (!confirmed) throw badUserInput('code', 'The set-up changed meanwhile; set up the app again.');
  await deps.audit.record({ type: 'TOTP_ENABLED', userId, sessionId: viewer.session.id }, client);
  await deps.mailer.send(mails.secondFactorChanged(deps.mail, viewer.user.email, 'enabled'));
  return codes;
}

/** Turns the authenticator app off, with the password and a code (from the app, or a recovery code). */
export async function disableTotp(
  deps: FactorDeps,
  viewer: SignedInViewer,
  input: { password: string; code: string },
  client: ClientInfo,
): Promise<true> {
  if (!(await hasTotp(deps, viewer.user.id))) throw notEnabled();
  await checkPassword(deps, viewer, input.password);
  await checkSecondFactorCode(deps, viewer.user, input.code, client);
  await removeSecondFactor(deps, viewer.user.id);
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

/** Removes the authenticator app and its recovery codes (and, with `passkeys`, the passkeys); returns how many factors went. */
async function removeSecondFactor(deps: FactorDeps, userId: string, options = { passkeys: false }): Promise<number> {
  return deps.prisma.$transaction(async (tx) => {
    await tx.recoveryCode.deleteMany({ where: { userId } });
    const factors = await tx.totpFactor.deleteMany({ where: { userId } });
    const passkeys = options.passkeys ? await tx.passkey.deleteMany({ where: { userId } }) : { count: 0 };
    return factors.count + passkeys.count;
  });
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
  const removed = await removeSecondFactor(deps, userId, { passkeys: true });
  deps.logger.info({ event: 'second_factor_reset', userId, by: actorId, removed }, 'second factor reset');
  await deps.audit.record(
    { type: 'SECOND_FACTOR_RESET', userId, actorId: actorId ?? undefined, detail: { removed: removed > 0 } },
    client,
  );
  if (removed > 0) await deps.mailer.send(mails.secondFactorChanged(deps.mail, user.email, 'reset-by-admin'));
  return user;
}
