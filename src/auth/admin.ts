import { isRecordNotFound } from '../db/errors.ts';
import { badUserInput } from '../errors.ts';
import type { PrismaClient, Role, User } from '../generated/prisma/client.ts';
import type { Logger } from '../logger.ts';
import type { Audit } from './audit.ts';
import { isUuid, revokeSessions, type ClientInfo } from './sessions.ts';

interface Deps {
  prisma: PrismaClient;
  logger: Logger;
  audit: Audit;
}

const noSuchUser = () => badUserInput('userId', 'No user has this id.');

/** Takes effect on the user's very next request: each request reads the role afresh. */
export async function setRole(deps: Deps, actorId: string, userId: string, role: Role, client: ClientInfo): Promise<User> {
  if (!isUuid(userId)) throw noSuchUser();
  try {
    const user = await deps.prisma.user.update({ where: { id: userId }, data: { role } });
    deps.logger.info({ event: 'role_change', userId, role, by: actorId }, 'role changed');
    await deps.audit.record({ type: 'ROLE_CHANGED', userId, actorId, detail: { role } }, client);
    return user;
  } catch (error) {
    if (isRecordNotFound(error)) throw noSuchUser();
    throw error;
  }
}

export async function revokeUserSessions(deps: Deps, actorId: string, userId: string, client: ClientInfo): Promise<true> {
  if (!isUuid(userId) || (await deps.prisma.user.count({ where: { id: userId } })) === 0) throw noSuchUser();
  const count = await revokeSessions(deps.prisma, { userId }, 'revoked_by_admin');
  deps.logger.info({ event: 'sessions_revoked_by_admin', userId, sessions: count, by: actorId }, 'sessions revoked');
  await deps.audit.record({ type: 'USER_SESSIONS_REVOKED', userId, actorId, detail: { sessions: count } }, client);
  return true;
}
