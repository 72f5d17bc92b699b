import { isRecordNotFound } from '../db/errors.ts';
import { badUserInput } from '../errors.ts';
import type { PrismaClient, Role, User } from '../generated/prisma/client.ts';
import type { Logger } from '../logger.ts';
import { isUuid, revokeSessions } from './sessions.ts';

interface Deps {
  prisma: PrismaClient;
  logger: Logger;
}

const noSuchUser = () => badUserInput('userId', 'No user has this id.');

/** Takes effect on the user's very next request: each request reads the role afresh. */
export async function setRole(deps: Deps, actorId: string, userId: string, role: Role): Promise<User> {
  if (!isUuid(userId)) throw noSuchUser();
  try {
    const user = await deps.prisma.user.update({ where: { id: userId }, data: { role } });
    deps.logger.info({ event: 'role_change', userId, role, by: actorId }, 'role changed');
    return user;
  } catch (error) {
    if (isRecordNotFound(error)) throw noSuchUser();
    throw error;
  }
}

export async function revokeUserSessions(deps: Deps, actorId: string, userId: string): Promise<true> {
  if (!isUuid(userId) || (await deps.prisma.user.count({ where: { id: userId } })) === 0) throw noSuchUser();
  const count = await revokeSessions(deps.prisma, { userId }, 'revoked_by_admin');
  deps.logger.info({ event: 'sessions_revoked_by_admin', userId, sessions: count, by: actorId }, 'sessions revoked');
  return true;
}
