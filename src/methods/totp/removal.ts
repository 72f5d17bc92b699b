import type { Prisma } from '../../generated/prisma/client.ts';

type Db = Prisma.TransactionClient;

/** The account's authenticator app, confirmed at or after `since` (every one without it), or still being set up. */
const appWhere = (userId: string, since?: Date) => ({
  userId,
  ...(since ? { OR: [{ confirmedAt: null }, { confirmedAt: { gte: since } }] } : {}),
});

export const countTotpAddedSince = (db: Db, userId: string, since: Date) =>
  db.totpFactor.count({ where: appWhere(userId, since) });

/**
 * Removes the authenticator app (set up at or after `since`, or any), with its
 * recovery codes once no app is left; names what went for a mail.
 */
export async function removeTotp(db: Db, userId: string, since?: Date): Promise<string[]> {
  const { count } = await db.totpFactor.deleteMany({ where: appWhere(userId, since) });
  if (count === 0) return [];
  if ((await db.totpFactor.count({ where: { userId } })) === 0) await db.recoveryCode.deleteMany({ where: { userId } });
  return ['the authenticator app, with its recovery codes'];
}
