import { isRecordNotFound, isUniqueViolation } from '../../db/errors.ts';
import { badUserInput, emailTaken } from '../../errors.ts';
import type { PrismaClient, Role, User } from '../../generated/prisma/client.ts';
import type { Clock } from '../../clock.ts';
import type { Logger } from '../../logger.ts';
import { checkNewPassword, normalizeEmail, normalizeName } from './rules.ts';
import type { Audit } from '../audit/audit.ts';
import type { SignInMethod } from '../method.ts';
import type { PasswordHasher } from './password-hasher.ts';
import { endAccountAccess } from '../sessions/end-access.ts';
import { isUuid } from '../../db/uuid.ts';
import type { ClientInfo } from '../sessions/client.ts';

interface Deps {
  prisma: PrismaClient;
  clock: Clock;
  logger: Logger;
  audit: Audit;
  methods: readonly SignInMethod[];
}

/**
 * Who acts: an admin's user id, or null for the admin command line, which has
 * no account (whoever can reach the database and its settings can run it).
 */
export type ActorId = string | null;

const noSuchUser = () => badUserInput('userId', 'No user has this id.');

export interface NewUserInput {
  email: string;
  password: string;
  name?: string | null | undefined;
}

/** The sign-up rules for a new account, before any database work: its normalized email and name. */
export async function checkNewUser(input: NewUserInput): Promise<{ email: string; name: string | null }> {
  const email = normalizeEmail(input.email);
  const name = normalizeName(input.name);
  await checkNewPassword(input.password, email);
  return { email, name };
}

/** An account made by an admin: the rules of `signUp`, with a chosen role and no session. */
export async function createUser(
  deps: Deps & { hasher: PasswordHasher },
  actorId: ActorId,
  input: NewUserInput & { role: Role },
  client: ClientInfo,
): Promise<User> {
  const { email, name } = await checkNewUser(input);
  // Cheap early answer; the unique index below is what settles a race.
  if (await deps.prisma.user.findUnique({ where: { email }, select: { id: true } })) throw emailTaken();
  const passwordHash = await deps.hasher.hash(input.password);
  let user: User;
  try {
    user = await deps.prisma.user.create({
      // Made by an operator who knows the address: verified from the start.
      data: {
        email,
        name,
        passwordHash,
        role: input.role,
        createdAt: deps.clock.now(),
        emailVerifiedAt: deps.clock.now(),
      },
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
  deps.logger.info({ event: 'user_created', userId: user.id, role: user.role, by: actorId }, 'user created');
  await deps.audit.record(
    { type: 'SIGN_UP', userId: user.id, actorId: actorId ?? undefined, detail: { role: user.role } },
    client,
  );
  return user;
}

/** Takes effect on the user's very next request: each request reads the role afresh. */
export async function setRole(
  deps: Deps,
  actorId: ActorId,
  userId: string,
  role: Role,
  client: ClientInfo,
): Promise<User> {
  if (!isUuid(userId)) throw noSuchUser();
  try {
    const user = await deps.prisma.user.update({ where: { id: userId }, data: { role } });
    deps.logger.info({ event: 'role_change', userId, role, by: actorId }, 'role changed');
    await deps.audit.record({ type: 'ROLE_CHANGED', userId, actorId: actorId ?? undefined, detail: { role } }, client);
    return user;
  } catch (error) {
    if (isRecordNotFound(error)) throw noSuchUser();
    throw error;
  }
}

/** Ends every session of a user at once, and the email change one may have started; returns how many were live. */
export async function revokeUserSessions(
  deps: Deps,
  actorId: ActorId,
  userId: string,
  client: ClientInfo,
): Promise<number> {
  if (!isUuid(userId) || (await deps.prisma.user.count({ where: { id: userId } })) === 0) throw noSuchUser();
  const now = deps.clock.now();
  const count = await deps.prisma.$transaction((tx) =>
    endAccountAccess(tx, deps.methods, userId, 'revoked_by_admin', now),
  );
  deps.logger.info({ event: 'sessions_revoked_by_admin', userId, sessions: count, by: actorId }, 'sessions revoked');
  await deps.audit.record(
    { type: 'USER_SESSIONS_REVOKED', userId, actorId: actorId ?? undefined, detail: { sessions: count } },
    client,
  );
  return count;
}

/**
 * Disables an account (it can no longer sign in, refresh or use a token; every
 * session ends at once, with the reset and email-change links it had) or enables
 * it again (its sessions stay ended).
 * An admin cannot disable their own account.
 */
export async function setUserDisabled(
  deps: Deps,
  actorId: ActorId,
  userId: string,
  disabled: boolean,
  client: ClientInfo,
): Promise<User> {
  if (!isUuid(userId)) throw noSuchUser();
  if (disabled && actorId === userId) throw badUserInput('userId', 'You cannot disable your own account.');
  const now = deps.clock.now();
  const result = await deps.prisma.$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({ where: { id: userId }, data: { disabledAt: disabled ? now : null } });
    if (count === 0) return null;
    const ended = disabled ? await endAccountAccess(tx, deps.methods, userId, 'account_disabled', now) : 0;
    return { user: await tx.user.findUniqueOrThrow({ where: { id: userId } }), ended };
  });
  if (!result) throw noSuchUser();
  deps.logger.info(
    { event: disabled ? 'account_disabled' : 'account_enabled', userId, by: actorId },
    disabled ? 'account disabled' : 'account enabled',
  );
  await deps.audit.record(
    {
      type: disabled ? 'ACCOUNT_DISABLED' : 'ACCOUNT_ENABLED',
      userId,
      actorId: actorId ?? undefined,
      ...(disabled ? { detail: { sessions: result.ended } } : {}),
    },
    client,
  );
  return result.user;
}
