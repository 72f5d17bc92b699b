import { stepUpRequired } from '../../errors.ts';
import type { SignedInViewer } from '../sessions/authenticate.ts';
import type { ClientInfo } from '../sessions/sessions.ts';
import { checkSecondFactorCode } from './codes.ts';
import type { FactorDeps } from './deps.ts';

/**
 * Before a change to how one signs in (password, address, second factor,
 * passkeys, deleting the account), an account with a second factor needs a
 * session whose second factor is recent, or a fresh code with the request;
 * otherwise FORBIDDEN with `reason: STEP_UP_REQUIRED`. A fresh code makes the
 * session's second factor recent again.
 */
export async function requireStepUp(
  deps: FactorDeps,
  viewer: SignedInViewer,
  code: string | null | undefined,
  client: ClientInfo,
): Promise<void> {
  if (!viewer.secondFactor) return;
  const now = deps.clock.now();
  const provedAt = viewer.session.secondFactorAt?.getTime();
  if (provedAt !== undefined && now.getTime() - provedAt <= deps.secondFactors.stepUpMaxAgeSeconds * 1000) return;
  if (!code) throw stepUpRequired();
  await checkSecondFactorCode(deps, viewer.user, code, client);
  await deps.prisma.session.update({ where: { id: viewer.session.id }, data: { secondFactorAt: now } });
}
