import { wrongCode } from '../../errors.ts';
import type { ClientInfo } from '../sessions/client.ts';
import { clientKey } from '../sessions/client.ts';
import type { SignInMethod } from '../method.ts';
import type { FactorDeps } from './deps.ts';
import { factorsOf } from './factors.ts';

/**
 * Checks a code of one of the account's second factors (each method that takes
 * codes is asked in turn) and returns the method it proved, counting a wrong one
 * against the account (RATE_LIMITED past the limit, whatever challenge it came
 * with). A wrong code is BAD_USER_INPUT on `code`.
 */
export async function checkSecondFactorCode(
  deps: FactorDeps,
  user: { id: string; email: string },
  code: string,
  client: ClientInfo,
  attemptsLeft?: number,
): Promise<SignInMethod> {
  await deps.rateLimits.beforeSecondFactor(user.id, clientKey(client));
  for (const { method, factor } of factorsOf(deps.methods)) {
    if (factor.useCode && (await factor.useCode(deps, user, code, client))) {
      await deps.rateLimits.secondFactorSucceeded(user.id);
      return method;
    }
  }
  await deps.audit.record({ type: 'SECOND_FACTOR_FAILED', userId: user.id }, client);
  throw wrongCode(attemptsLeft);
}
