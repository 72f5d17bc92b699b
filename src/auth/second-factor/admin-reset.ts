import { badUserInput } from '../../errors.ts';
import { mails } from '../../mail/templates.ts';
import type { ActorId } from '../accounts/admin.ts';
import type { ClientInfo } from '../sessions/client.ts';
import { isUuid } from '../../db/uuid.ts';
import type { FactorDeps } from './deps.ts';
import { removeSecondFactors } from './removal.ts';

/**
 * Support's answer to a lost phone and lost recovery codes: an admin (or the
 * command line) removes every second factor of the account. It signs in with
 * its password alone until one is set up again; its owner gets a notice.
 */
export async function resetSecondFactor(deps: FactorDeps, actorId: ActorId, userId: string, client: ClientInfo) {
  if (!isUuid(userId)) throw badUserInput('userId', 'No user has this id.');
  const user = await deps.prisma.user.findUnique({ where: { id: userId } });
  if (!user) throw badUserInput('userId', 'No user has this id.');
  const removed = await deps.prisma.$transaction((tx) => removeSecondFactors(tx, deps.methods, userId));
  deps.logger.info(
    { event: 'second_factor_reset', userId, by: actorId, removed: removed.length },
    'second factor reset',
  );
  await deps.audit.record(
    { type: 'SECOND_FACTOR_RESET', userId, actorId: actorId ?? undefined, detail: { removed: removed.length > 0 } },
    client,
  );
  if (removed.length > 0) await deps.mailer.send(mails.secondFactorsReset(deps.mail, user.email));
  return user;
}
