import type { MethodDeps } from '../../auth/method.ts';
import type { ClientInfo } from '../../auth/sessions/client.ts';
import { totpMails } from './mails.ts';
import { isRecoveryCode, recoveryCodeMatches } from './recovery-codes.ts';
import { isTotpCode, matchingStep } from './totp.ts';

/**
 * Takes a code of the account's authenticator app: a TOTP code for a step later
 * than the last one accepted, or an unused recovery code. Each is taken by one
 * conditional UPDATE, so of two requests racing with one code only one gets it.
 * A recovery code used is audited, and its owner told how many are left.
 */
export async function useTotpOrRecoveryCode(
  deps: MethodDeps,
  user: { id: string; email: string },
  code: string,
  client: ClientInfo,
): Promise<boolean> {
  const userId = user.id;
  const now = deps.clock.now();
  const factor = await deps.prisma.totpFactor.findUnique({ where: { userId } });
  if (!factor?.confirmedAt || !deps.encryption) return false;
  const trimmed = code.trim();
  if (isTotpCode(trimmed)) {
    const step = matchingStep(deps.encryption.open(factor.secret), trimmed, now, factor.lastUsedStep);
    if (step === null) return false;
    const { count } = await deps.prisma.totpFactor.updateMany({
      where: { userId, confirmedAt: { not: null }, OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: step } }] },
      data: { lastUsedStep: step },
    });
    return count === 1;
  }
  if (!isRecoveryCode(trimmed)) return false;
  const unused = await deps.prisma.recoveryCode.findMany({ where: { userId, usedAt: null } });
  const match = unused.find((stored) => recoveryCodeMatches(trimmed, stored));
  if (!match) return false;
  const { count } = await deps.prisma.recoveryCode.updateMany({
    where: { id: match.id, usedAt: null },
    data: { usedAt: now },
  });
  if (count !== 1) return false;
  const left = await deps.prisma.recoveryCode.count({ where: { userId, usedAt: null } });
  await deps.audit.record({ type: 'RECOVERY_CODE_USED', userId, detail: { left } }, client);
  await deps.mailer.send(totpMails.changed(deps.mail, user.email, 'code-used', left));
  return true;
}
