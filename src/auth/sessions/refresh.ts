import type { Clock } from '../../clock.ts';
import { AppError, ErrorCode } from '../../errors.ts';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { isRecordNotFound } from '../../db/errors.ts';
import type { Logger } from '../../logger.ts';
import { hashOpaqueToken, newOpaqueToken } from '../../crypto/opaque-tokens.ts';
import type { Audit } from '../audit/audit.ts';
import type { RateLimits } from '../limits/rate-limits.ts';
import { clientKey, type ClientInfo } from './client.ts';
import { liveSessionFilter } from './live-session.ts';
import { revokeSessions } from './revoke.ts';
import { signedIn, type SessionLimits, type SignedIn } from './sessions.ts';
import type { AccessTokens } from '../tokens/access-tokens.ts';

export interface RefreshDeps {
  clock: Clock;
  prisma: PrismaClient;
  tokens: AccessTokens;
  limits: SessionLimits;
  rateLimits: RateLimits;
  audit: Audit;
  logger: Logger;
}

const MAX_TOKEN_LENGTH = 256;

export const refreshRefused = () =>
  new AppError('This refresh token is not valid any more; sign in again.', { code: ErrorCode.UNAUTHENTICATED });

/**
 * Exchanges a refresh token for a new pair on the same session, retiring it.
 *
 * - The current token: retired by one conditional UPDATE, so of many concurrent
 *   calls exactly one wins.
 * - A token retired within the grace window (two tabs, a lost response): a
 *   further pair for the same session; every pair handed out keeps working.
 * - A token retired before that: someone replayed it, so the whole session is
 *   revoked (theft detection).
 */
export async function refresh(deps: RefreshDeps, refreshToken: string, client: ClientInfo): Promise<SignedIn> {
  await deps.rateLimits.beforeRefresh(clientKey(client));
  if (refreshToken.length === 0 || refreshToken.length > MAX_TOKEN_LENGTH) throw refreshRefused();
  const presented = hashOpaqueToken(refreshToken);
  const next = newOpaqueToken();
  const now = deps.clock.now();

  const rotated = await deps.prisma.$transaction(async (tx) => {
    const [current] = await tx.refreshToken.updateManyAndReturn({
      where: { tokenHash: presented, retiredAt: null },
      data: { retiredAt: now },
      select: { sessionId: true },
    });
    return current ? continueSession(tx, deps.limits, current.sessionId, next.hash, now) : null;
  });
  if (rotated) {
    await deps.audit.record({ type: 'REFRESH', userId: rotated.userId, sessionId: rotated.id }, client);
    return signedIn(deps.tokens, rotated.user, rotated, next.token);
  }

  const known = await deps.prisma.refreshToken.findUnique({
    where: { tokenHash: presented },
    select: { sessionId: true, retiredAt: true, session: { select: { userId: true } } },
  });
  if (!known?.retiredAt) throw refreshRefused();

  const graceMs = deps.limits.refreshReuseGraceSeconds * 1000;
  if (graceMs > 0 && now.getTime() - known.retiredAt.getTime() <= graceMs) {
    const session = await continueSession(deps.prisma, deps.limits, known.sessionId, next.hash, now);
    await deps.audit.record(
      { type: 'REFRESH', userId: session.userId, sessionId: session.id, detail: { withinGrace: true } },
      client,
    );
    return signedIn(deps.tokens, session.user, session, next.token);
  }

  const revoked = await revokeSessions(deps.prisma, { id: known.sessionId }, 'refresh_token_reuse', now);
  if (revoked > 0) {
    await deps.audit.record(
      { type: 'REFRESH_TOKEN_REUSE', userId: known.session.userId, sessionId: known.sessionId },
      client,
    );
    deps.logger.warn(
      { event: 'refresh_token_reuse', sessionId: known.sessionId },
      'a retired refresh token was presented again: session revoked',
    );
  }
  throw refreshRefused();
}

/** Adds the new token to a live session and marks it used, or refuses if the session has ended. */
async function continueSession(
  db: Pick<PrismaClient, 'session'>,
  limits: SessionLimits,
  sessionId: string,
  tokenHash: Uint8Array<ArrayBuffer>,
  now: Date,
) {
  try {
    return await db.session.update({
      where: { id: sessionId, ...liveSessionFilter(limits, now) },
      data: { lastUsedAt: now, refreshTokens: { create: { tokenHash, createdAt: now } } },
      include: { user: true },
    });
  } catch (error) {
    if (isRecordNotFound(error)) throw refreshRefused();
    throw error;
  }
}
