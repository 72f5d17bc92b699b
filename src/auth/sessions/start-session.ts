import { v7 as uuidV7 } from 'uuid';
import type { Clock } from '../../clock.ts';
import type { PrismaClient, User } from '../../generated/prisma/client.ts';
import type { Audit, AuthEventRow } from '../audit/audit.ts';
import type { AccessTokens } from '../tokens/access-tokens.ts';
import { newOpaqueToken } from '../../crypto/opaque-tokens.ts';
import { type NewSignInNoticeDeps, noticeNewSignIn } from './new-sign-in-notice.ts';
import type { SignInMethod } from '../method.ts';
import { provesSecondFactor } from '../second-factor/factors.ts';
import { type AuthMethod, newSessionData, type SessionLimits, type SignedIn, signedIn } from './sessions.ts';
import type { ClientInfo } from './client.ts';

export interface StartSessionDeps {
  prisma: PrismaClient;
  clock: Clock;
  tokens: AccessTokens;
  limits: SessionLimits;
  audit: Audit;
  methods: readonly SignInMethod[];
}

/**
 * A new session for a user who just proved who they are, `amr` saying how;
 * audited as a login, and mailed about if it comes from a new device.
 */
export async function startSession(
  deps: StartSessionDeps & NewSignInNoticeDeps,
  user: User,
  client: ClientInfo,
  amr: readonly AuthMethod[],
): Promise<SignedIn> {
  const refresh = newOpaqueToken();
  const now = deps.clock.now();
  const { refreshTokens, ...session } = newSessionData(
    deps.limits,
    client,
    refresh.hash,
    now,
    amr,
    provesSecondFactor(deps.methods, amr),
  );
  const event = deps.audit.rowOf({ type: 'LOGIN_SUCCEEDED', userId: user.id, detail: { amr: amr.join(' ') } }, client);
  const id = await insertSession(deps.prisma, { ...session, userId: user.id }, refreshTokens.create, event);
  noticeNewSignIn(deps, user, id, client, amr, now);
  return signedIn(deps.tokens, user, { id, ...session }, refresh.token, { justAuthenticated: true });
}

type SessionColumns = Omit<ReturnType<typeof newSessionData>, 'refreshTokens'> & { userId: string };
type RefreshTokenColumns = ReturnType<typeof newSessionData>['refreshTokens']['create'];

/**
 * The session, its first refresh token and its audit event in one statement: one
 * round trip where a transaction of three inserts took five, and all three rows
 * or none. Ids are UUIDv7 of the time of day, as Prisma makes them for these tables.
 */
async function insertSession(
  prisma: PrismaClient,
  session: SessionColumns,
  refreshToken: RefreshTokenColumns,
  event: AuthEventRow,
): Promise<string> {
  const [sessionId, refreshTokenId, eventId] = [uuidV7(), uuidV7(), uuidV7()];
  await prisma.$executeRaw`
    WITH s AS (
      INSERT INTO "Session" ("id", "userId", "createdAt", "lastUsedAt", "expiresAt", "userAgent", "ip", "network", "amr", "authTime", "secondFactorAt")
      VALUES (${sessionId}::uuid, ${session.userId}::uuid, ${session.createdAt}::timestamptz, ${session.lastUsedAt}::timestamptz,
              ${session.expiresAt}::timestamptz, ${session.userAgent}, ${session.ip}, ${session.network}, ${session.amr}::text[],
              ${session.authTime}::timestamptz, ${session.secondFactorAt}::timestamptz)
      RETURNING "id"
    ), r AS (
      INSERT INTO "RefreshToken" ("id", "sessionId", "tokenHash", "createdAt")
      SELECT ${refreshTokenId}::uuid, s."id", ${refreshToken.tokenHash}, ${refreshToken.createdAt}::timestamptz FROM s
    )
    INSERT INTO "AuthEvent" ("id", "type", "userId", "sessionId", "ip", "userAgent", "detail", "createdAt")
    SELECT ${eventId}::uuid, ${event.type}::"AuthEventType", ${event.userId}::uuid, s."id", ${event.ip}, ${event.userAgent},
           ${event.detail === null ? null : JSON.stringify(event.detail)}::jsonb, ${event.createdAt}::timestamptz
      FROM s`;
  return sessionId;
}
