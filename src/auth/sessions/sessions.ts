import type { Sql } from '../../db/sql.ts';
import type { PrismaClient, Role, Session, User } from '../../generated/prisma/client.ts';
import type { AccessTokenClaims, AccessTokens } from '../tokens/access-tokens.ts';

export interface ClientInfo {
  ip?: string | undefined;
  userAgent?: string | undefined;
}

/** Requests without a known address (in-process calls) share one rate-limit key. */
export const clientKey = (client: ClientInfo) => client.ip ?? 'unknown';

export interface SessionLimits {
  /** A session whose refresh token goes unused this long ends. */
  refreshTokenTtlSeconds: number;
  /** No session outlives this, counted from login. */
  sessionMaxAgeSeconds: number;
  /** How long a just-retired refresh token still works (a concurrent refresh); 0 turns it off. */
  refreshReuseGraceSeconds: number;
}

/** Why a session ended, kept on the row for support and audit. */
export type RevokeReason =
  | 'logout'
  | 'logout_all'
  | 'revoked_by_user'
  | 'password_change'
  | 'refresh_token_reuse'
  | 'revoked_by_admin'
  | 'password_reset'
  | 'account_disabled';

/** What a successful sign-up, login or refresh hands back: a session's tokens and its user. */
export interface SignedIn {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken: string;
  user: User;
  sessionId: string;
}

type Db = Pick<PrismaClient, 'session'>;

const USER_AGENT_MAX_LENGTH = 512;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids arrive from clients; one that is not a UUID names nothing (and must not reach SQL as one). */
export const isUuid = (value: string) => UUID.test(value);

/** The fields of a new session (created inside the caller's write, so no half session is left). */
export function newSessionData(
  limits: SessionLimits,
  client: ClientInfo,
  refreshTokenHash: Uint8Array<ArrayBuffer>,
  now: Date,
) {
  return {
    createdAt: now,
    lastUsedAt: now,
    expiresAt: new Date(now.getTime() + limits.sessionMaxAgeSeconds * 1000),
    userAgent: client.userAgent?.slice(0, USER_AGENT_MAX_LENGTH) ?? null,
    ip: client.ip ?? null,
    refreshTokens: { create: { tokenHash: refreshTokenHash, createdAt: now } },
  };
}

/**
 * What makes a session live at `now`: not revoked, before its absolute end, and
 * used since the idle limit. The one definition, read by the Prisma filter below
 * and by the SQL of `findLiveSession`.
 */
function liveSessionBounds(limits: SessionLimits, now: Date) {
  return { endsAfter: now, usedAfter: new Date(now.getTime() - limits.refreshTokenTtlSeconds * 1000) };
}

/** The Prisma filter for sessions that have not ended by `now`. */
export function liveSessionFilter(limits: SessionLimits, now: Date) {
  const { endsAfter, usedAfter } = liveSessionBounds(limits, now);
  return { revokedAt: null, expiresAt: { gt: endsAfter }, lastUsedAt: { gt: usedAfter } };
}

const LIVE_SESSION_QUERY = {
  name: 'tollgate_live_session',
  text: `SELECT s.id, s."userId", s."createdAt", s."lastUsedAt", s."expiresAt", s."revokedAt", s."revokedReason",
                s."userAgent", s.ip, u.email, u."passwordHash", u.name, u.role, u."createdAt", u."updatedAt",
                u."emailVerifiedAt", u."disabledAt"
           FROM "Session" s JOIN "User" u ON u.id = s."userId"
          WHERE s.id = $1 AND s."userId" = $2
            AND s."revokedAt" IS NULL AND s."expiresAt" > $3 AND s."lastUsedAt" > $4
            AND u."disabledAt" IS NULL`,
};

type LiveSessionRow = [
  id: string,
  userId: string,
  createdAt: Date,
  lastUsedAt: Date,
  expiresAt: Date,
  revokedAt: Date | null,
  revokedReason: string | null,
  userAgent: string | null,
  ip: string | null,
  email: string,
  passwordHash: string,
  name: string | null,
  role: Role,
  userCreatedAt: Date,
  userUpdatedAt: Date,
  emailVerifiedAt: Date | null,
  disabledAt: Date | null,
];

/**
 * The session named by an access token, with its user, in one round trip, or
 * null when it is gone, ended, or belongs to someone else. Every authenticated
 * request runs this, so it is plain SQL (a test holds it equal to Prisma's rows).
 */
export async function findLiveSession(
  sql: Sql,
  claims: Pick<AccessTokenClaims, 'sub' | 'sid'>,
  limits: SessionLimits,
  now: Date,
): Promise<{ session: Session; user: User } | null> {
  if (!isUuid(claims.sid) || !isUuid(claims.sub)) return null;
  const { endsAfter, usedAfter } = liveSessionBounds(limits, now);
  const [row] = await sql.rows({ ...LIVE_SESSION_QUERY, values: [claims.sid, claims.sub, endsAfter, usedAfter] });
  if (!row) return null;
  const [
    id,
    userId,
    createdAt,
    lastUsedAt,
    expiresAt,
    revokedAt,
    revokedReason,
    userAgent,
    ip,
    email,
    passwordHash,
    name,
    role,
    userCreatedAt,
    userUpdatedAt,
    emailVerifiedAt,
    disabledAt,
  ] = row as LiveSessionRow;
  return {
    session: { id, userId, createdAt, lastUsedAt, expiresAt, revokedAt, revokedReason, userAgent, ip },
    user: {
      id: userId,
      email,
      passwordHash,
      name,
      role,
      createdAt: userCreatedAt,
      updatedAt: userUpdatedAt,
      emailVerifiedAt,
      disabledAt,
    },
  };
}

/** Ends every live session matching `where`; returns how many ended. */
export async function revokeSessions(
  db: Db,
  where: { id?: string | { not: string }; userId?: string },
  reason: RevokeReason,
  now: Date,
): Promise<number> {
  const { count } = await db.session.updateMany({
    where: { ...where, revokedAt: null },
    data: { revokedAt: now, revokedReason: reason },
  });
  return count;
}

export function signedIn(tokens: AccessTokens, user: User, sessionId: string, refreshToken: string): SignedIn {
  const { accessToken, expiresIn } = tokens.issue({ userId: user.id, sessionId });
  return { accessToken, tokenType: 'Bearer', expiresIn, refreshToken, user, sessionId };
}
