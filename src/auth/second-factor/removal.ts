import { AppError, ErrorCode } from '../../errors.ts';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { SignedInViewer } from '../sessions/authenticate.ts';
import { methodsOf, SECOND_FACTORS } from './codes.ts';
import type { FactorDeps } from './deps.ts';

type Db = Pick<PrismaClient, 'totpFactor' | 'recoveryCode' | 'passkey'>;

/** What went: the authenticator app (with its recovery codes), and the names of the passkeys. */
export interface RemovedFactors {
  totp: boolean;
  passkeys: string[];
}

/** Removes the authenticator app and its recovery codes, and with `passkeys` the passkeys too. */
export async function removeSecondFactors(
  tx: Db,
  userId: string,
  options: { passkeys: boolean },
): Promise<RemovedFactors> {
  await tx.recoveryCode.deleteMany({ where: { userId } });
  const totp = await tx.totpFactor.deleteMany({ where: { userId } });
  const passkeys = options.passkeys ? await deletePasskeys(tx, { userId }) : [];
  return { totp: totp.count > 0, passkeys };
}

/** Deletes the passkeys `where` names; returns their names. */
async function deletePasskeys(tx: Db, where: { userId: string; createdAt?: { gte: Date } }): Promise<string[]> {
  const found = await tx.passkey.findMany({ where, select: { id: true, name: true } });
  if (found.length > 0) await tx.passkey.deleteMany({ where: { id: { in: found.map(({ id }) => id) } } });
  return found.map(({ name }) => name);
}

/** The filters of the second factors set up at or after `since` (an app still being set up counts). */
const addedSince = (userId: string, since: Date) => ({
  totp: { userId, OR: [{ confirmedAt: null }, { confirmedAt: { gte: since } }] },
  passkey: { userId, createdAt: { gte: since } },
});

/** How many second factors (an app, passkeys) were set up at or after `since`. */
export async function countFactorsAddedSince(tx: Db, userId: string, since: Date): Promise<number> {
  const where = addedSince(userId, since);
  const [totp, passkeys] = await Promise.all([
    tx.totpFactor.count({ where: where.totp }),
    tx.passkey.count({ where: where.passkey }),
  ]);
  return totp + passkeys;
}

/**
 * Removes the second factors set up at or after `since`: an authenticator app
 * turned on since (or still being set up) with its recovery codes, and the
 * passkeys added since. Older ones stay.
 */
export async function removeFactorsAddedSince(tx: Db, userId: string, since: Date): Promise<RemovedFactors> {
  const where = addedSince(userId, since);
  const totp = await tx.totpFactor.deleteMany({ where: where.totp });
  if (totp.count > 0 && (await tx.totpFactor.count({ where: { userId } })) === 0) {
    await tx.recoveryCode.deleteMany({ where: { userId } });
  }
  const passkeys = await deletePasskeys(tx, where.passkey);
  return { totp: totp.count > 0, passkeys };
}

/**
 * With REQUIRE_ADMIN_SECOND_FACTOR=on an admin keeps at least one second factor:
 * refuses the removal of `removing` when nothing else would be left.
 */
export async function refuseAdminsLastFactor(
  deps: Pick<FactorDeps, 'prisma' | 'secondFactors'>,
  viewer: SignedInViewer,
  removing: { totp: true } | { passkeyId: string },
): Promise<void> {
  if (!deps.secondFactors.requireForAdmins || viewer.user.role !== 'ADMIN') return;
  const account = await deps.prisma.user.findUniqueOrThrow({ where: { id: viewer.user.id }, select: SECOND_FACTORS });
  const totpLeft = 'totp' in removing ? false : methodsOf(account).includes('TOTP');
  const passkeysLeft = account._count.passkeys - ('passkeyId' in removing ? 1 : 0);
  if (!totpLeft && passkeysLeft <= 0) {
    throw new AppError('An admin must keep a second factor: add another before removing this one.', {
      code: ErrorCode.FORBIDDEN,
      reason: 'SECOND_FACTOR_REQUIRED',
    });
  }
}
