import type { Sql } from '../../db/sql.ts';
import { isUuid } from '../../db/uuid.ts';
import type { Session, User } from '../../generated/prisma/client.ts';
import { USER_COLUMNS, userOf } from '../accounts/user-row.ts';
import type { AccessTokenClaims } from '../tokens/access-tokens.ts';
import type { SessionLimits } from './sessions.ts';

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
