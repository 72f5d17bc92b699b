import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { AppError, ErrorCode } from '../../errors.ts';
import type { SignedInViewer } from '../../auth/sessions/authenticate.ts';
import type { ClientInfo } from '../../auth/sessions/client.ts';
import { markSecondFactorRecent } from '../../auth/second-factor/step-up.ts';
import { signedAssertion, verifyAssertion } from './ceremony/assertion.ts';
import { passkeyRefused } from './errors.ts';
import { type PasskeyDeps, passkeySettings } from './registration.ts';
import { passkeyDescriptors, requestOptions } from './ceremony/request-options.ts';
import { consumeWebAuthnChallenge, issueWebAuthnChallenge } from './ceremony/challenges.ts';

/**
 * Options to confirm, with one of the caller's passkeys, a change that answered
 * STEP_UP_REQUIRED: the challenge is bound to this session.
 */
export async function passkeyStepUpOptions(
  deps: PasskeyDeps,
  viewer: SignedInViewer,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const settings = passkeySettings(deps);
  const passkeys = await passkeyDescriptors(deps.prisma, viewer.user.id);
  if (passkeys.length === 0) {
    throw new AppError('You have no passkey: confirm with a code instead.', { code: ErrorCode.BAD_USER_INPUT });
  }
  const challenge = await issueWebAuthnChallenge(deps.prisma, {
    purpose: 'STEP_UP',
    userId: viewer.user.id,
    sessionId: viewer.session.id,
    now: deps.clock.now(),
  });
  return requestOptions(settings, challenge, passkeys);
}

/** Makes this session's second factor recent with the browser's response to those options. */
export async function stepUpWithPasskey(
  deps: PasskeyDeps,
  viewer: SignedInViewer,
  response: unknown,
  client: ClientInfo,
): Promise<true> {
  const settings = passkeySettings(deps);
  const { signed, credentialId } = signedAssertion(settings, response);
  const now = deps.clock.now();
  const used = await consumeWebAuthnChallenge(deps.prisma, 'STEP_UP', signed.challenge, now);
  const passkey = used && (await deps.prisma.passkey.findUnique({ where: { credentialId } }));
  if (!used || used.sessionId !== viewer.session.id || !passkey || passkey.userId !== viewer.user.id) {
    throw passkeyRefused();
  }
  await verifyAssertion(deps, settings, passkey, response, signed, client);
  await markSecondFactorRecent(deps, viewer, now);
  return true;
}
