import { badUserInput } from '../errors.ts';
import type { PrismaClient, Role, User } from '../generated/prisma/client.ts';
import type { Logger } from '../logger.ts';
import { isUuid, revokeSessions } from './sessions.ts';

interface Deps {
  prisma: PrismaClient;
  logger: Logger;
}

const noSuchUser = () => badUserInput('userId', 'No user has this id.');

async function existingUser(deps: Deps, userId: string): Promise<User> {
  const user = isUuid(userId) ? await deps.prisma.user.findUnique({ where: { id: userId } }) : null;
  if (!user) throw noSuchUser();
  return user;
}

/** Takes effect on the user's very next request: each request reads the role afresh. */
export async function setRole(deps: Deps, actorId: string, userId: string, role: Role): Promise<User> {
  await existingUser(deps, userId);
  const user = await deps.prisma.user.update({ where: { id: userId }, data: { role } });
  deps.logger.info({ event: 'role_change', userId, role, by: actorId }, 'role changed');
  return user;
}

export async function revokeUserSessions(deps: Deps, actorId: string, userId: string): Promise<true> {
  await existingUser(deps, userId);
  const count = await revokeSessions(deps.prisma, { userId }, 'revoked_by_admin');
  deps.logger.info({ event: 'sessions_revoked_by_admin', userId, sessions: count, by: actorId }, 'sessions revoked');
  return true;
}
