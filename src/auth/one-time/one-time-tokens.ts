import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { badUserInput } from '../../errors.ts';
import type { OneTimeTokenPurpose, PrismaClient } from '../../generated/prisma/client.ts';
import type { MailedToken } from '../../mail/templates.ts';
import { normalizeEmail } from '../accounts/rules.ts';
import { hashOpaqueToken, newOpaqueToken } from '../../crypto/opaque-tokens.ts';

export type { OneTimeTokenPurpose };

type Db = Pick<PrismaClient, 'oneTimeToken'>;

/** The longest token a client can have been given (43 characters of base64url); anything longer is not one. */
const MAX_TOKEN_LENGTH = 64;

/** One answer for an unknown, used, expired, replaced or wrong-purpose token: which one is nobody's business. */
export const invalidToken = () => badUserInput('token', 'This link or code is not valid any more; ask for a new one.');

/** Digits of the code mailed beside a link. */
const CODE_DIGITS = 8;
/** Codes tried against one token, right or wrong, before it takes none: 5 in 10^8. */
const CODE_ATTEMPTS = 5;

/** A token's code, stored as SHA-256 of the token's hash and the code: bound to its token. */
const hashCode = (tokenHash: Uint8Array, code: string) =>
  new Uint8Array(createHash('sha256').update(tokenHash).update(code, 'utf8').digest());

/** "1234 5678", "1234-5678" and "12345678" are one code; null for what no code can be. */
function normalizeCode(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '');
  return digits.length === CODE_DIGITS && /^[0-9]+$/.test(digits) ? digits : null;
}

/**
 * How many usable tokens of a purpose a user holds at most: a newer one retires
 * the oldest past that number. A purpose not named here (a reset, an email
 * change, those of methods to come) has one at a time: only the newest mail's works.
 */
const LIVE_TOKENS: Partial<Record<OneTimeTokenPurpose, number>> = {
  // A verification link works until it expires or the address is verified: the
  // link a blocked login mails again must not kill the one of the sign-up's mail.
  EMAIL_VERIFICATION: 3,
  // Each notice's "it was not me" link stays good: the thief's next sign-in must
  // not kill the link the owner is about to follow.
  SECURE_ACCOUNT: 20,
};

/**
 * A new token for `purpose`, bound to the user and the address it goes to, with
 * its code. The oldest usable tokens of the same purpose past LIVE_TOKENS stop
 * working. `eventAt` is when what a SECURE_ACCOUNT link disowns happened, and
 * `passwordHash` the account's password then.
 */
export async function issueOneTimeToken(
  db: PrismaClient,
  input: {
    purpose: OneTimeTokenPurpose;
    userId: string;
    email: string;
    ttlSeconds: number;
    now: Date;
    eventAt?: Date;
    passwordHash?: string;
  },
): Promise<MailedToken> {
  const { token, hash } = newOpaqueToken();
  const code = String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
  const { purpose, userId, email, now } = input;
  await db.$transaction(async (tx) => {
    const kept = await tx.oneTimeToken.findMany({
      where: { userId, purpose, usedAt: null, expiresAt: { gt: now } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip: (LIVE_TOKENS[purpose] ?? 1) - 1,
      select: { id: true },
    });
    if (kept.length > 0) {
      await tx.oneTimeToken.updateMany({ where: { id: { in: kept.map(({ id }) => id) } }, data: { usedAt: now } });
    }
    await tx.oneTimeToken.create({
      data: {
        purpose,
        userId,
        email,
        tokenHash: hash,
        codeHash: hashCode(hash, code),
        createdAt: now,
        expiresAt: new Date(now.getTime() + input.ttlSeconds * 1000),
        eventAt: input.eventAt ?? null,
        passwordHash: input.passwordHash ?? null,
      },
    });
  });
  return { token, code: `${code.slice(0, 4)} ${code.slice(4)}` };
}

/** Retires every usable token of `purposes` the user holds: their links and codes stop working. */
export async function retireOneTimeTokens(
  db: Db,
  userId: string,
  purposes: readonly OneTimeTokenPurpose[],
  now: Date,
): Promise<number> {
  if (purposes.length === 0) return 0;
  const { count } = await db.oneTimeToken.updateMany({
    where: { userId, purpose: { in: [...purposes] }, usedAt: null },
    data: { usedAt: now },
  });
  return count;
}

/**
 * What a client sends for a mailed token: the link's token, or the mail's code
 * in `token` with the address the mail went to in `email`.
 */
export interface PresentedToken {
  token: string;
  email?: string | null | undefined;
}

/**
 * The hash of the token that `presented` stands for, or null when it stands for
 * none. A code is looked for among the usable tokens mailed to the address, and
 * every try spends one of each such token's attempts in the same UPDATE that
 * finds them: guesses sent in parallel get CODE_ATTEMPTS between them, not each.
 * The link keeps working once its code is spent.
 */
export async function presentedTokenHash(
  db: Db,
  purpose: OneTimeTokenPurpose,
  presented: PresentedToken,
  now: Date,
): Promise<Uint8Array<ArrayBuffer> | null> {
  if (presented.email == null) {
    const { token } = presented;
    return token.length === 0 || token.length > MAX_TOKEN_LENGTH ? null : hashOpaqueToken(token);
  }
  const email = normalizeEmail(presented.email);
  const code = normalizeCode(presented.token);
  if (!code) return null;
  const tried = await db.oneTimeToken.updateManyAndReturn({
    where: {
      email,
      purpose,
      usedAt: null,
      expiresAt: { gt: now },
      codeHash: { not: null },
      codeAttempts: { lt: CODE_ATTEMPTS },
    },
    data: { codeAttempts: { increment: 1 } },
    select: { tokenHash: true, codeHash: true },
  });
  const match = tried.find(
    ({ tokenHash, codeHash }) => codeHash !== null && timingSafeEqual(hashCode(tokenHash, code), codeHash),
  );
  return match ? new Uint8Array(match.tokenHash) : null;
}

export interface UsableToken {
  id: string;
  userId: string;
  email: string;
  createdAt: Date;
  eventAt: Date | null;
}

const USABLE_TOKEN = { id: true, userId: true, email: true, createdAt: true, eventAt: true } as const;

/** The filter for the token hashed as `tokenHash` while it may be used for `purpose` at `now`. */
const usableWhere = (purpose: OneTimeTokenPurpose, tokenHash: Uint8Array<ArrayBuffer>, now: Date) => ({
  tokenHash,
  purpose,
  usedAt: null,
  expiresAt: { gt: now },
});

/** The token, if it may still be used for `purpose` at `now`; nothing is changed. */
export async function findUsableToken(
  db: Db,
  purpose: OneTimeTokenPurpose,
  tokenHash: Uint8Array<ArrayBuffer> | null,
  now: Date,
): Promise<UsableToken | null> {
  if (!tokenHash) return null;
  return db.oneTimeToken.findFirst({ where: usableWhere(purpose, tokenHash, now), select: USABLE_TOKEN });
}

/**
 * Uses the token up: one conditional UPDATE, so of two requests racing with one
 * token exactly one gets it. Null when it could not be used (any reason).
 */
export async function consumeOneTimeToken(
  db: Db,
  purpose: OneTimeTokenPurpose,
  tokenHash: Uint8Array<ArrayBuffer> | null,
  now: Date,
): Promise<UsableToken | null> {
  if (!tokenHash) return null;
  const [used] = await db.oneTimeToken.updateManyAndReturn({
    where: usableWhere(purpose, tokenHash, now),
    data: { usedAt: now },
    select: USABLE_TOKEN,
  });
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
