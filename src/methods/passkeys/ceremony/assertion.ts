import type { AuthenticationResponseJSON, VerifiedAuthenticationResponse } from '@simplewebauthn/server';
import { webAuthnLibrary } from './library.ts';
import type { Passkey } from '../../../generated/prisma/client.ts';
import type { FactorDeps } from '../../../auth/second-factor/deps.ts';
import type { ClientInfo } from '../../../auth/sessions/client.ts';
import { credentialIdOf, passkeyRefused } from '../errors.ts';
import type { PasskeySettings } from '../settings.ts';
import { clientDataOf, originAllowed } from './challenges.ts';

/**
 * What a sign-in assertion says it signed, and with which credential; refused
 * as any other failure when it is not an assertion from an allowed origin.
 */
export function signedAssertion(
  settings: PasskeySettings,
  response: unknown,
): { signed: { challenge: string; origin: string }; credentialId: string } {
  const signed = clientDataOf(response);
  const credentialId = credentialIdOf(response);
  if (signed?.type !== 'webauthn.get' || !credentialId || !originAllowed(settings, signed.origin)) {
    throw passkeyRefused();
  }
  return { signed, credentialId };
}

/**
 * Verifies a passkey's signature over the challenge and moves its counter on.
 * A counter that goes backwards means two copies of one authenticator (a cloned
 * key): refused, logged and audited. Of two assertions racing with one counter
 * value, the second is refused.
 */
export async function verifyAssertion(
  deps: FactorDeps,
  settings: PasskeySettings,
  passkey: Passkey,
  response: unknown,
  signed: { challenge: string; origin: string },
  client: ClientInfo,
): Promise<{ userVerified: boolean }> {
  const { verifyAuthenticationResponse } = await webAuthnLibrary();
  let verification: VerifiedAuthenticationResponse;
  try {
    verification = await verifyAuthenticationResponse({
      response: response as AuthenticationResponseJSON,
      expectedChallenge: signed.challenge,
      expectedOrigin: signed.origin,
      expectedRPID: settings.rpId,
      credential: {
        id: passkey.credentialId,
        publicKey: passkey.publicKey,
        counter: Number(passkey.counter),
        transports: passkey.transports,
      },
      requireUserVerification: false,
    });
  } catch (error) {
    if (error instanceof Error && /counter value/i.test(error.message)) {
      deps.logger.warn(
        { event: 'passkey_counter_regression', userId: passkey.userId, passkeyId: passkey.id },
        "a passkey's signature counter went backwards: the authenticator may have been cloned",
      );
      await deps.audit.record(
        { type: 'PASSKEY_COUNTER_REGRESSION', userId: passkey.userId, detail: { passkeyId: passkey.id } },
        client,
      );
    }
    throw passkeyRefused();
  }
  if (!verification.verified) throw passkeyRefused();
  const { newCounter, userVerified } = verification.authenticationInfo;
  const { count } = await deps.prisma.passkey.updateMany({
    where: { id: passkey.id, counter: passkey.counter },
    data: { counter: BigInt(newCounter), lastUsedAt: deps.clock.now() },
  });
  if (count === 0) throw passkeyRefused();
  return { userVerified };
}
