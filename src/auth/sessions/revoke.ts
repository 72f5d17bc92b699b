import type { PrismaClient } from '../../generated/prisma/client.ts';

/** Why a session ended, kept on the row for support and audit. */
export type RevokeReason =
  | 'logout'
  | 'logout_all'
  | 'revoked_by_user'
  | 'password_change'
  | 'refresh_token_reuse'
  | 'revoked_by_admin'
  | 'password_reset'
  | 'account_disabled'
  | 'account_secured'
  /** Ended by "it was not me" and started since the sign-in or change it disowned: its device is known no more. */
  | 'disowned';

type Db = Pick<PrismaClient, 'session'>;

/** Ends every live session matching `where`; returns how many ended. */
export async function revokeSessions(
  db: Db,
  where: { id?: string | { not: string }; userId?: string; createdAt?: { gte: Date } },
  reason: RevokeReason,
  now: Date,
): Promise<number> {
  const { count } = await db.session.updateMany({
    where: { ...where, revokedAt: null },
    data: { revokedAt: now, revokedReason: reason },
  });
  return count;
}
