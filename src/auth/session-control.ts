import type { PrismaClient } from '../generated/prisma/client.ts';
import { unauthenticated } from '../errors.ts';
import type { Viewer } from './authenticate.ts';
import { hashRefreshToken } from './refresh-tokens.ts';
import { isUuid, revokeSessions } from './sessions.ts';

interface Deps {
  prisma: PrismaClient;
}

/**
 * Ends one session: the one a refresh token belongs to (which proves possession
 * on its own, so an expired access token does not stand in the way), or else
 * the bearer's own. True when a live session ended.
 */
export async function logout(deps: Deps, viewer: Viewer, refreshToken: string | null | undefined): Promise<boolean> {
  if (refreshToken != null) {
    const token = await deps.prisma.refreshToken.findUnique({
      where: { tokenHash: hashRefreshToken(refreshToken) },
      select: { sessionId: true },
    });
    return token ? (await revokeSessions(deps.prisma, { id: token.sessionId }, 'logout')) > 0 : false;
  }
  if (viewer.kind !== 'user') throw viewer.kind === 'refused' ? unauthenticated(viewer.reason) : unauthenticated();
  return (await revokeSessions(deps.prisma, { id: viewer.session.id }, 'logout')) > 0;
}

export async function logoutAll(deps: Deps, userId: string): Promise<true> {
  await revokeSessions(deps.prisma, { userId }, 'logout_all');
  return true;
}

/** Ends one of the user's own sessions; someone else's id is treated as unknown. */
export async function revokeOwnSession(deps: Deps, userId: string, sessionId: string): Promise<boolean> {
  if (!isUuid(sessionId)) return false;
  return (await revokeSessions(deps.prisma, { id: sessionId, userId }, 'revoked_by_user')) > 0;
}
