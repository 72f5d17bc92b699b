import { stepUpRequired } from '../../errors.ts';
import type { SignedInViewer } from '../sessions/authenticate.ts';
import type { ClientInfo } from '../sessions/client.ts';
import { checkSecondFactorCode } from './codes.ts';
import type { FactorDeps } from './deps.ts';
import { secondFactorOffers, stepUpPromptFor } from './factors.ts';

/**
 * Before a change to how one signs in (password, address, a second factor,
 * deleting the account), an account with a second factor needs a session whose
 * second factor is recent, or a fresh code with the request; otherwise
 * FORBIDDEN with `reason: STEP_UP_REQUIRED` and the `methods` it can use. A
 * fresh code (or a method's own step-up) makes the session's second factor
 * recent again.
 */
export async function requireStepUp(
  deps: FactorDeps,
  viewer: SignedInViewer,
  code: string | null | undefined,
  client: ClientInfo,
): Promise<void> {
  if (!viewer.secondFactor || secondFactorIsRecent(deps, viewer)) return;
  const now = deps.clock.now();
  if (!code) {
    const offers = await secondFactorOffers(deps, viewer.user.id);
    throw stepUpRequired(offers, stepUpPromptFor(deps.methods, offers));
  }
  await checkSecondFactorCode(deps, viewer.user, code, client);
  await markSecondFactorRecent(deps, viewer, now);
}

/**
 * Whether the viewer's session proved a second factor the account still has: by
 * signing in with one, or by a step-up since. Setting one up proves nothing of
 * the session: a session signed in with a stolen password could otherwise make
 * itself one that did.
 */
export const provedSecondFactor = (viewer: SignedInViewer) =>
  viewer.secondFactor && viewer.session.secondFactorAt !== null;

/** Whether the viewer's session proved its second factor within STEP_UP_MAX_AGE. */
export function secondFactorIsRecent(deps: Pick<FactorDeps, 'clock' | 'secondFactors'>, viewer: SignedInViewer) {
  const provedAt = viewer.session.secondFactorAt?.getTime();
  return (
    provedAt !== undefined && deps.clock.now().getTime() - provedAt <= deps.secondFactors.stepUpMaxAgeSeconds * 1000
  );
}

/** Records that this session proved its second factor at `now`. */
export async function markSecondFactorRecent(
  deps: Pick<FactorDeps, 'prisma'>,
  viewer: SignedInViewer,
  now: Date,
): Promise<void> {
  await deps.prisma.session.update({ where: { id: viewer.session.id }, data: { secondFactorAt: now } });
}
