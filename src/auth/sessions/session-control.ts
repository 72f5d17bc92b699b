import type { Clock } from '../../clock.ts';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { unauthenticated } from '../../errors.ts';
import type { Viewer } from './authenticate.ts';
import { hashOpaqueToken } from '../../crypto/opaque-tokens.ts';
import { isUuid } from '../../db/uuid.ts';
import { revokeSessions } from './revoke.ts';
import type { ClientInfo } from './client.ts';
import type { Audit } from '../audit/audit.ts';

interface Deps {
  prisma: PrismaClient;
  clock: Clock;
  audit: Audit;
}

/**
 * Ends one session: the one a refresh token belongs to (which proves possession
 * on its own, so an expired access token does not stand in the way), or else
 * the bearer's own. True when a live session ended.
 */
export async function logout(
  deps: Deps,
  viewer: Viewer,
  refreshToken: string | null | undefined,
  client: ClientInfo,
): Promise<boolean> {
  let session: { id: string; userId: string };
  if (refreshToken != null) {
    const token = await deps.prisma.refreshToken.findUnique({
      where: { tokenHash: hashOpaqueToken(refreshToken) },
      select: { session: { select: { id: true, userId: true } } },
    });
    if (!token) return false;
    session = token.session;
  } else if (viewer.kind === 'user') {
    session = viewer.session;
  } else {
    throw viewer.kind === 'refused' ? unauthenticated(viewer.reason) : unauthenticated();
  }
  const ended = (await revokeSessions(deps.prisma, { id: session.id }, 'logout', deps.clock.now())) > 0;
  if (ended) await deps.audit.record({ type: 'LOGOUT', userId: session.userId, sessionId: session.id }, client);
  return ended;
}

export async function logoutAll(deps: Deps, userId: string, client: ClientInfo): Promise<true> {
  const count = await revokeSessions(deps.prisma, { userId }, 'logout_all', deps.clock.now());
  await deps.audit.record({ type: 'LOGOUT_ALL', userId, detail: { sessions: count } }, client);
  return true;
}

/** Ends one of the user's own sessions; someone else's id is treated as unknown. */
export async function revokeOwnSession(
  deps: Deps,
  userId: string,
  sessionId: string,
  client: ClientInfo,
): Promise<boolean> {
  if (!isUuid(sessionId)) return false;
  const ended = (await revokeSessions(deps.prisma, { id: sessionId, userId }, 'revoked_by_user', deps.clock.now())) > 0;
  if (ended) await deps.audit.record({ type: 'SESSION_REVOKED', userId, sessionId }, client);
  return ended;
}
