import type { PrismaClient, Session, User } from '../generated/prisma/client.ts';
import type { AccessTokenClaims } from './tokens.ts';

export interface ClientInfo {
  ip?: string | undefined;
  userAgent?: string | undefined;
}

export interface SessionLimits {
  /** A session whose refresh token goes unused this long ends. */
  refreshTokenTtlSeconds: number;
  /** No session outlives this, counted from login. */
  sessionMaxAgeSeconds: number;
}

const USER_AGENT_MAX_LENGTH = 512;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The fields of a new session (created inside the caller's write, so no half session is left). */
export function newSessionData(limits: SessionLimits, client: ClientInfo, refreshTokenHash: Uint8Array<ArrayBuffer>, now = new Date()) {
  return {
    createdAt: now,
    lastUsedAt: now,
    expiresAt: new Date(now.getTime() + limits.sessionMaxAgeSeconds * 1000),
    userAgent: client.userAgent?.slice(0, USER_AGENT_MAX_LENGTH) ?? null,
    ip: client.ip ?? null,
    refreshTokens: { create: { tokenHash: refreshTokenHash, createdAt: now } },
  };
}

export function isSessionLive(session: Session, limits: SessionLimits, now = new Date()): boolean {
  const idleUntil = session.lastUsedAt.getTime() + limits.refreshTokenTtlSeconds * 1000;
  return session.revokedAt === null && session.expiresAt > now && idleUntil > now.getTime();
}

/**
 * The session named by an access token, with its user, in one round trip, or
 * null when it is gone, ended, or belongs to someone else.
 */
export async function findLiveSession(
  prisma: PrismaClient,
  claims: Pick<AccessTokenClaims, 'sub' | 'sid'>,
  limits: SessionLimits,
): Promise<{ session: Session; user: User } | null> {
  if (!UUID.test(claims.sid) || !UUID.test(claims.sub)) return null;
  const found = await prisma.session.findUnique({
    where: { id: claims.sid },
    include: { user: true },
    relationLoadStrategy: 'join',
  });
  if (!found || found.userId !== claims.sub || !isSessionLive(found, limits)) return null;
  const { user, ...session } = found;
  return { session, user };
}
