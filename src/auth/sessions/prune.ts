import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { SessionLimits } from './sessions.ts';

/** How long an ended session is kept (for support and audit) before it is deleted. */
export const ENDED_SESSION_RETENTION_SECONDS = 7 * 86400;

/**
 * Deletes sessions that ended more than a week ago (revoked, expired or idle;
 * their refresh tokens go with them) and refresh tokens retired longer ago than
 * REFRESH_TOKEN_TTL: such a token could not be used any more even if current,
 * so it no longer needs to be recognised as a replay.
 */
export async function pruneEndedSessions(
  prisma: PrismaClient,
  limits: SessionLimits,
  now: Date,
): Promise<{ sessions: number; refreshTokens: number }> {
  const retainedSince = new Date(now.getTime() - ENDED_SESSION_RETENTION_SECONDS * 1000);
  const idleSince = new Date(retainedSince.getTime() - limits.refreshTokenTtlSeconds * 1000);
  const sessions = await prisma.session.deleteMany({
    where: {
      OR: [
        { revokedAt: { lt: retainedSince } },
        { expiresAt: { lt: retainedSince } },
        { lastUsedAt: { lt: idleSince } },
      ],
    },
  });
  const refreshTokens = await prisma.refreshToken.deleteMany({
    where: { retiredAt: { lt: new Date(now.getTime() - limits.refreshTokenTtlSeconds * 1000) } },
  });
  return { sessions: sessions.count, refreshTokens: refreshTokens.count };
}
