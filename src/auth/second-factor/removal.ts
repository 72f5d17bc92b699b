import { AppError, ErrorCode } from '../../errors.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { SignInMethod } from '../method.ts';
import type { SignedInViewer } from '../sessions/authenticate.ts';
import type { FactorDeps } from './deps.ts';
import { factorsOf } from './factors.ts';

type Db = Prisma.TransactionClient;

/**
 * Removes the account's second factors set up at or after `since`, of every
 * method (every one of them without `since`); names each removed for a mail.
 * Older ones stay: "it was not me" takes back what came after what it disowns.
 */
export async function removeSecondFactors(
  tx: Db,
  methods: readonly SignInMethod[],
  userId: string,
  since?: Date,
): Promise<string[]> {
  const removed: string[] = [];
  for (const { factor } of factorsOf(methods)) removed.push(...(await factor.remove(tx, userId, since)));
  return removed;
}

/** How many second factors of the account were set up at or after `since`. */
export async function countFactorsAddedSince(
  db: Db,
  methods: readonly SignInMethod[],
  userId: string,
  since: Date,
): Promise<number> {
  let count = 0;
  for (const { factor } of factorsOf(methods)) count += await factor.countAddedSince(db, userId, since);
  return count;
}

/**
 * With REQUIRE_ADMIN_SECOND_FACTOR=on an admin keeps at least one second factor:
 * refuses the removal of `removing` (so many credentials of one method) when
 * nothing else would be left.
 */
export async function refuseAdminsLastFactor(
  deps: Pick<FactorDeps, 'prisma' | 'secondFactors' | 'methods'>,
  viewer: SignedInViewer,
  removing: { method: string; count: number },
): Promise<void> {
  if (!deps.secondFactors.requireForAdmins || viewer.user.role !== 'ADMIN') return;
  let left = -removing.count;
  for (const { factor } of factorsOf(deps.methods)) left += await factor.count(deps.prisma, viewer.user.id);
  if (left <= 0) {
    throw new AppError('An admin must keep a second factor: add another before removing this one.', {
      code: ErrorCode.FORBIDDEN,
      reason: 'SECOND_FACTOR_REQUIRED',
    });
  }
}
