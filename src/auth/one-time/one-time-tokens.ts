import { badUserInput } from '../../errors.ts';
import type { OneTimeTokenPurpose, PrismaClient } from '../../generated/prisma/client.ts';
import { hashOpaqueToken, newOpaqueToken } from '../tokens/opaque-tokens.ts';

export type { OneTimeTokenPurpose };

type Db = Pick<PrismaClient, 'oneTimeToken'>;

/** The longest token a client can have been given (43 characters of base64url); anything longer is not one. */
const MAX_TOKEN_LENGTH = 64;

/** One answer for an unknown, used, expired, replaced or wrong-purpose token: which one is nobody's business. */
export const invalidToken = () => badUserInput('token', 'This link is not valid any more; ask for a new one.');

/**
 * A new token for `purpose`, bound to the user and the address it goes to.
 * Every earlier token of the same purpose for the user stops working: only the
 * newest mail's link works.
 */
export async function issueOneTimeToken(
  db: PrismaClient,
  input: { purpose: OneTimeTokenPurpose; userId: string; email: string; ttlSeconds: number; now: Date },
): Promise<string> {
  const { token, hash } = newOpaqueToken();
  const { purpose, userId, email, now } = input;
  await db.$transaction([
    db.oneTimeToken.updateMany({ where: { userId, purpose, usedAt: null }, data: { usedAt: now } }),
    db.oneTimeToken.create({
      data: {
        purpose,
        userId,
        email,
        tokenHash: hash,
        createdAt: now,
        expiresAt: new Date(now.getTime() + input.ttlSeconds * 1000),
      },
    }),
  ]);
  return token;
}

export interface UsableToken {
  id: string;
  userId: string;
  email: string;
}

const USABLE_TOKEN = { id: true, userId: true, email: true } as const;

/** The filter for `token` while it may be used for `purpose` at `now`; null for a string no token can be. */
function usableWhere(purpose: OneTimeTokenPurpose, token: string, now: Date) {
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) return null;
  return { tokenHash: hashOpaqueToken(token), purpose, usedAt: null, expiresAt: { gt: now } };
}

/** The token, if it may still be used for `purpose` at `now`; nothing is changed. */
export async function findUsableToken(
  db: Db,
  purpose: OneTimeTokenPurpose,
  token: string,
  now: Date,
): Promise<UsableToken | null> {
  const where = usableWhere(purpose, token, now);
  if (!where) return null;
  return db.oneTimeToken.findFirst({ where, select: USABLE_TOKEN });
}

/**
 * Uses the token up: one conditional UPDATE, so of two requests racing with one
 * token exactly one gets it. Null when it could not be used (any reason).
 */
export async function consumeOneTimeToken(
  db: Db,
  purpose: OneTimeTokenPurpose,
  token: string,
  now: Date,
): Promise<UsableToken | null> {
  const where = usableWhere(purpose, token, now);
  if (!where) return null;
  const [used] = await db.oneTimeToken.updateManyAndReturn({ where, data: { usedAt: now }, select: USABLE_TOKEN });
  return used ?? null;
}

/** How long a used or expired token is kept (for support) before housekeeping deletes it. */
const KEPT_AFTER_USE_SECONDS = 7 * 86400;

/** Deletes tokens used, replaced or expired more than a week before `now`; returns how many. */
export async function pruneOneTimeTokens(db: Db, now: Date): Promise<number> {
  const before = new Date(now.getTime() - KEPT_AFTER_USE_SECONDS * 1000);
  const { count } = await db.oneTimeToken.deleteMany({
    where: { OR: [{ usedAt: { lt: before } }, { expiresAt: { lt: before } }] },
  });
  return count;
}
