import { invalidCredentials, passwordResetRequired } from '../../errors.ts';
import type { AccountDeps } from '../../auth/accounts/deps.ts';
import { findLoginAccount } from '../../auth/accounts/login-account.ts';
import { checkPasswordLength, normalizeEmail } from '../../auth/accounts/rules.ts';
import { refuseUnusable } from '../../auth/accounts/usable.ts';
import { challengeLogin } from '../../auth/second-factor/challenge.ts';
import { clientKey, type ClientInfo } from '../../auth/sessions/client.ts';
import type { SignedIn } from '../../auth/sessions/sessions.ts';
import { startSession } from '../../auth/sessions/start-session.ts';
import { PASSWORD_AMR } from './sign-up.ts';

export interface LoginInput {
  email: string;
  password: string;
}

async function checkPassword(deps: AccountDeps, email: string, password: string) {
  // With its second factors, in the same statement: a login needs them next.
  const user = await findLoginAccount(deps, email);
  // Always one bcrypt comparison, against a dummy hash for an unknown email, and
  // one answer for both failures: the response says nothing about who has an account.
  const matches = await deps.hasher.verify(password, user?.passwordHash ?? null);
  return { user, matches };
}

export async function login(deps: AccountDeps, input: LoginInput, client: ClientInfo): Promise<SignedIn> {
  const email = normalizeEmail(input.email);
  checkPasswordLength(input.password);
  const ip = clientKey(client);
  await deps.rateLimits.beforeLogin(email, ip);

  const { user, matches } = await checkPassword(deps, email, input.password).catch(async (error: unknown) => {
    // No verdict (the database failed): a client retrying through an outage must
    // not lock its own account.
    await deps.rateLimits.loginAbandoned(email, ip).catch(() => {});
    throw error;
  });
  if (!user || !matches) {
    await deps.audit.record({ type: 'LOGIN_FAILED', userId: user?.id }, client);
    throw invalidCredentials();
  }
  await deps.rateLimits.loginSucceeded(email, ip);
  await refuseUnusable(deps, user, client);
  if (user.passwordResetRequiredAt) {
    // Locked by the owner from the mail: whoever else has the password gets nothing.
    await deps.audit.record(
      { type: 'LOGIN_FAILED', userId: user.id, detail: { reason: 'password_reset_required' } },
      client,
    );
    throw passwordResetRequired();
  }
  const { secondFactorOffers, ...account } = user;
  if (secondFactorOffers.length > 0) await challengeLogin(deps, account, secondFactorOffers, client, PASSWORD_AMR);

  return startSession(deps, account, client, PASSWORD_AMR);
}
