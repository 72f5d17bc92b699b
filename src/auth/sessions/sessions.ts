import type { Sql } from '../../db/sql.ts';
import type { PrismaClient, Session, User } from '../../generated/prisma/client.ts';
import { USER_COLUMNS, userOf } from '../accounts/user-row.ts';
import { networkOf } from './device.ts';
import type { AccessTokenClaims, AccessTokens } from '../tokens/access-tokens.ts';

export interface ClientInfo {
  ip?: string | undefined;
  userAgent?: string | undefined;
}

/**
 * An RFC 8176 authentication method reference, as a session and its access
 * tokens carry them in `amr`: `pwd`, `otp`, `hwk`, `mfa`, and those of methods to come.
 */
export type AuthMethod = string;

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
  | 'account_disabled'
  | 'account_secured'
  /** Ended by "it was not me" and started since the sign-in or change it disowned: its device is known no more. */
  | 'disowned';

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

export const USER_AGENT_MAX_LENGTH = 512;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids arrive from clients; one that is not a UUID names nothing (and must not reach SQL as one). */
export const isUuid = (value: string) => UUID.test(value);

/** The fields of a new session (created inside the caller's write, so no half session is left). */
export function newSessionData(
  limits: SessionLimits,
  client: ClientInfo,
  refreshTokenHash: Uint8Array<ArrayBuffer>,
  now: Date,
  /** How the user authenticated (`pwd` for a password, with the methods' own values after it). */
  amr: readonly AuthMethod[] = ['pwd'],
  /** Whether that proved a second factor: the session starts with it recent. */
  provedSecondFactor = false,
) {
  return {
    createdAt: now,
    lastUsedAt: now,
    amr: [...amr],
    authTime: now,
    secondFactorAt: provedSecondFactor ? now : null,
    expiresAt: new Date(now.getTime() + limits.sessionMaxAgeSeconds * 1000),
    userAgent: client.userAgent?.slice(0, USER_AGENT_MAX_LENGTH) ?? null,
    ip: client.ip ?? null,
    network: networkOf(client.ip),
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

/** The statement, made once per second-factor test: its text stays the same for the life of the process. */
const statements = new Map<string, { name: string; text: string }>();

function liveSessionStatement(enrolledSql: string) {
  let made = statements.get(enrolledSql);
  if (!made) {
    made = {
      name: 'tollgate_live_session',
      text: `SELECT s.id, s."userId", s."createdAt", s."lastUsedAt", s."expiresAt", s."revokedAt", s."revokedReason",
                s."userAgent", s.ip, s.network, s.amr, s."authTime", s."secondFactorAt",
                ${enrolledSql},
                ${USER_COLUMNS}
           FROM "Session" s JOIN "User" u ON u.id = s."userId"
          WHERE s.id = $1 AND s."userId" = $2
            AND s."revokedAt" IS NULL AND s."expiresAt" > $3 AND s."lastUsedAt" > $4
            AND u."disabledAt" IS NULL`,
    };
    statements.set(enrolledSql, made);
  }
  return made;
}

type SessionRow = [
  id: string,
  userId: string,
  createdAt: Date,
  lastUsedAt: Date,
  expiresAt: Date,
  revokedAt: Date | null,
  revokedReason: string | null,
  userAgent: string | null,
  ip: string | null,
  network: string | null,
  amr: string[] | null,
  authTime: Date,
  secondFactorAt: Date | null,
  secondFactor: boolean,
];
const SESSION_COLUMN_COUNT = 14;

export interface LiveSession {
  session: Session;
  user: User;
  /** Whether the account has a second factor, of any method. */
  secondFactor: boolean;
}

/**
 * The session named by an access token, with its user, in one round trip, or
 * null when it is gone, ended, or belongs to someone else. Every authenticated
 * request runs this, so it is plain SQL (a test holds it equal to Prisma's rows).
 */
export async function findLiveSession(
  /** `enrolledSql`: the methods' SQL for "the account aliased `u` has a second factor" (second-factor/factors.ts). */
  { sql, enrolledSql }: { sql: Sql; enrolledSql: string },
  claims: Pick<AccessTokenClaims, 'sub' | 'sid'>,
  limits: SessionLimits,
  now: Date,
): Promise<LiveSession | null> {
  if (!isUuid(claims.sid) || !isUuid(claims.sub)) return null;
  const { endsAfter, usedAfter } = liveSessionBounds(limits, now);
  const [row] = await sql.rows({
    ...liveSessionStatement(enrolledSql),
    values: [claims.sid, claims.sub, endsAfter, usedAfter],
  });
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
    network,
    amr,
    authTime,
    secondFactorAt,
    secondFactor,
  ] = row.slice(0, SESSION_COLUMN_COUNT) as SessionRow;
  return {
    session: {
      id,
      userId,
      createdAt,
      lastUsedAt,
      expiresAt,
      revokedAt,
      revokedReason,
      userAgent,
      ip,
      network,
      amr: amr ?? [],
      authTime,
      secondFactorAt,
    },
    user: userOf(row.slice(SESSION_COLUMN_COUNT)),
    secondFactor,
  };
}

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

/** The pair for a session: its access token carries how and when the session was authenticated. */
export function signedIn(
  tokens: AccessTokens,
  user: User,
  session: Pick<Session, 'id' | 'amr' | 'authTime'>,
  refreshToken: string,
  options: { justAuthenticated?: boolean } = {},
): SignedIn {
  const { accessToken, expiresIn } = tokens.issue({
    userId: user.id,
    sessionId: session.id,
    amr: session.amr,
    authTime: session.authTime,
    // A session's first token is issued at the instant it authenticated: `iat` equals `auth_time`.
    ...(options.justAuthenticated ? { issuedAt: session.authTime } : {}),
  });
  return { accessToken, tokenType: 'Bearer', expiresIn, refreshToken, user, sessionId: session.id };
}
