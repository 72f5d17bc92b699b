import type { Prisma } from '../../generated/prisma/client.ts';

type Db = Prisma.TransactionClient;

const addedWhere = (userId: string, since?: Date) => ({ userId, ...(since ? { createdAt: { gte: since } } : {}) });

export const countPasskeysAddedSince = (db: Db, userId: string, since: Date) =>
  db.passkey.count({ where: addedWhere(userId, since) });

/** Removes the account's passkeys (added at or after `since`, or all); names each for a mail. */
export async function removePasskeys(db: Db, userId: string, since?: Date): Promise<string[]> {
  const found = await db.passkey.findMany({ where: addedWhere(userId, since), select: { id: true, name: true } });
  if (found.length > 0) await db.passkey.deleteMany({ where: { id: { in: found.map(({ id }) => id) } } });
  return found.map(({ name }) => `the passkey "${name}"`);
}
