import { type SecondFactorMethod, wrongCode } from '../../errors.ts';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { mails } from '../../mail/templates.ts';
import type { ClientInfo } from '../sessions/sessions.ts';
import { clientKey } from '../sessions/sessions.ts';
import type { FactorDeps } from './deps.ts';
import { isRecoveryCode, recoveryCodeMatches } from '../../methods/totp/recovery-codes.ts';
import { isTotpCode, matchingStep } from '../../methods/totp/totp.ts';

export type CodeMethod = 'totp' | 'recovery';

/** What a user query includes to learn, in the same statement, how the account proves a second factor. */
export const SECOND_FACTORS = {
  totp: { select: { confirmedAt: true } },
  _count: { select: { passkeys: true } },
} as const;

/** The ways an account (read with SECOND_FACTORS) can prove a second factor; none when it has none. */
export function methodsOf(account: {
  totp: { confirmedAt: Date | null } | null;
  _count: { passkeys: number };
}): SecondFactorMethod[] {
  return [
    ...(account.totp?.confirmedAt ? (['TOTP', 'RECOVERY_CODE'] as const) : []),
    ...(account._count.passkeys > 0 ? (['PASSKEY'] as const) : []),
  ];
}

/** The ways the account can prove a second factor; none when it has none. */
export async function secondFactorMethods(
  prisma: Pick<PrismaClient, 'user'>,
  userId: string,
): Promise<SecondFactorMethod[]> {
  const account = await prisma.user.findUnique({ where: { id: userId }, select: SECOND_FACTORS });
  return account ? methodsOf(account) : [];
}

/** Whether the account has a second factor (a confirmed authenticator app, or a passkey). */
export async function hasSecondFactor(prisma: Pick<PrismaClient, 'user'>, userId: string): Promise<boolean> {
  return (await secondFactorMethods(prisma, userId)).length > 0;
}

/**
 * Uses up a code of the account's second factor: a TOTP code for a step later
 * than the last one accepted, or an unused recovery code. Each is taken by one
 * conditional UPDATE, so of two requests racing with one code only one gets it.
 */
async function useCode(deps: FactorDeps, userId: string, code: string, now: Date): Promise<CodeMethod | null> {
  const factor = await deps.prisma.totpFactor.findUnique({ where: { userId } });
  if (!factor?.confirmedAt || !deps.encryption) return null;
  const trimmed = code.trim();
  if (isTotpCode(trimmed)) {
    const step = matchingStep(deps.encryption.open(factor.secret), trimmed, now, factor.lastUsedStep);
    if (step === null) return null;
    const { count } = await deps.prisma.totpFactor.updateMany({
      where: { userId, confirmedAt: { not: null }, OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: step } }] },
      data: { lastUsedStep: step },
    });
    return count === 1 ? 'totp' : null;
  }
  if (isRecoveryCode(trimmed)) {
    const unused = await deps.prisma.recoveryCode.findMany({ where: { userId, usedAt: null } });
    const match = unused.find((stored) => recoveryCodeMatches(trimmed, stored));
    if (!match) return null;
    const { count } = await deps.prisma.recoveryCode.updateMany({
      where: { id: match.id, usedAt: null },
      data: { usedAt: now },
    });
    return count === 1 ? 'recovery' : null;
  }
  return null;
}

/**
 * Checks a code of the account's second factor, counting a wrong one against
 * the account (RATE_LIMITED past the limit, whatever challenge it came with).
 * A wrong code is BAD_USER_INPUT on `code`.
 */
export async function checkSecondFactorCode(
  deps: FactorDeps,
  user: { id: string; email: string },
  code: string,
  client: ClientInfo,
  attemptsLeft?: number,
): Promise<CodeMethod> {
  await deps.rateLimits.beforeSecondFactor(user.id, clientKey(client));
  const method = await useCode(deps, user.id, code, deps.clock.now());
  if (!method) {
    await deps.audit.record({ type: 'SECOND_FACTOR_FAILED', userId: user.id }, client);
    throw wrongCode(attemptsLeft);
  }
  await deps.rateLimits.secondFactorSucceeded(user.id);
  if (method === 'recovery') {
    const left = await deps.prisma.recoveryCode.count({ where: { userId: user.id, usedAt: null } });
    await deps.audit.record({ type: 'RECOVERY_CODE_USED', userId: user.id, detail: { left } }, client);
    await deps.mailer.send(
      mails.secondFactorChanged(
        deps.mail,
        user.email,
        'code-used',
        `${left} recovery code${left === 1 ? '' : 's'} left.`,
      ),
    );
  }
  return method;
}
