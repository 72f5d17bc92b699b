import { AppError, ErrorCode } from '../../errors.ts';
import { checkCurrentPassword } from '../accounts/current-password.ts';
import type { SignedInViewer } from '../sessions/authenticate.ts';
import type { ClientInfo } from '../sessions/client.ts';
import type { FactorDeps } from './deps.ts';
import { requireStepUp } from './step-up.ts';

/** A second factor, asked for on an address nobody has shown to be theirs. */
const addressNotVerified = () =>
  new AppError(
    'Confirm your email address first (sendVerificationEmail): a second factor outranks the address in getting the account back, so the address must be yours.',
    { code: ErrorCode.FORBIDDEN, reason: 'EMAIL_NOT_VERIFIED' },
  );

/**
 * Before a new second factor (of any method): the account's
 * address is verified, the password is confirmed, and an account that has a
 * second factor already proves it (step-up). A stolen access token alone adds
 * nothing; and since a reset by mail needs the second factor, someone who signed
 * up with another person's address cannot lock its owner out with one.
 */
export async function checkMayAddSecondFactor(
  deps: FactorDeps,
  viewer: SignedInViewer,
  input: { password: string; code?: string | null | undefined },
  client: ClientInfo,
): Promise<void> {
  if (!viewer.user.emailVerifiedAt) throw addressNotVerified();
  await requireStepUp(deps, viewer, input.code, client);
  await checkCurrentPassword(deps, viewer.user, input.password);
}
