import { randomBytes } from 'node:crypto';
import type {
  PublicKeyCredentialCreationOptionsJSON,
  RegistrationResponseJSON,
  VerifiedRegistrationResponse,
} from '@simplewebauthn/server';
import { isUniqueViolation } from '../../db/errors.ts';
import { badUserInput } from '../../errors.ts';
import type { Passkey } from '../../generated/prisma/client.ts';
import type { SignedInViewer } from '../../auth/sessions/authenticate.ts';
import type { ClientInfo } from '../../auth/sessions/client.ts';
import type { FactorDeps } from '../../auth/second-factor/deps.ts';
import { checkMayAddSecondFactor } from '../../auth/second-factor/enrolment-guard.ts';
import { passkeyName } from './name.ts';
import { noticePasskeyChange } from './notice.ts';
import { passkeyDescriptors } from './ceremony/request-options.ts';
import { webAuthnLibrary } from './ceremony/library.ts';
import { passkeysUnavailable, unverifiedRegistration } from './errors.ts';
import { type PasskeySettings, passkeySettingsOf } from './settings.ts';
import {
  clientDataOf,
  consumeWebAuthnChallenge,
  issueWebAuthnChallenge,
  originAllowed,
  WEBAUTHN_CHALLENGE_TTL_SECONDS,
} from './ceremony/challenges.ts';

/** What the passkeys' flows need: the kernel's, with the passkeys' settings in `config`. */
export type PasskeyDeps = FactorDeps;

/** The passkeys' settings, or FORBIDDEN (PASSKEYS_UNAVAILABLE) when they are off (production without WEBAUTHN_RP_ID). */
export function passkeySettings(deps: PasskeyDeps): PasskeySettings {
  const settings = passkeySettingsOf(deps.config);
  if (!settings) throw passkeysUnavailable();
  return settings;
}

/** The account's WebAuthn user handle: 32 random bytes made once, never its email or id. */
async function userHandle(deps: PasskeyDeps, viewer: SignedInViewer): Promise<Uint8Array<ArrayBuffer>> {
  const userId = viewer.user.id;
  // Made by the first registration; of two at once, the first write stands and both read it.
  await deps.prisma.passkeyUserHandle.createMany({
    data: [{ userId, handle: new Uint8Array(randomBytes(32)) }],
    skipDuplicates: true,
  });
  const { handle } = await deps.prisma.passkeyUserHandle.findUniqueOrThrow({ where: { userId } });
  return new Uint8Array(handle);
}

/**
 * Options for `navigator.credentials.create` (or @simplewebauthn/browser's
 * `startRegistration`): a discoverable credential, its challenge kept on the
 * server for five minutes, the account's passkeys excluded. As for any new
 * second factor: a verified address, the password, and a recent second factor
 * (or `code`) on an account that has one.
 */
export async function passkeyRegistrationOptions(
  deps: PasskeyDeps,
  viewer: SignedInViewer,
  input: { password: string; code?: string | null | undefined },
  client: ClientInfo,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const settings = passkeySettings(deps);
  await checkMayAddSecondFactor(deps, viewer, input, client);
  const handle = await userHandle(deps, viewer);
  const existing = await passkeyDescriptors(deps.prisma, viewer.user.id);
  const challenge = await issueWebAuthnChallenge(deps.prisma, {
    purpose: 'REGISTRATION',
    userId: viewer.user.id,
    now: deps.clock.now(),
  });
  const { generateRegistrationOptions } = await webAuthnLibrary();
  return generateRegistrationOptions({
    rpName: settings.rpName,
    rpID: settings.rpId,
    userName: viewer.user.email,
    userID: handle,
    userDisplayName: viewer.user.name ?? viewer.user.email,
    challenge,
    timeout: WEBAUTHN_CHALLENGE_TTL_SECONDS * 1000,
    attestationType: 'none',
    excludeCredentials: existing,
    authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
  });
}

/** Stores the passkey the browser made with those options, once its response verifies. */
export async function registerPasskey(
  deps: PasskeyDeps,
  viewer: SignedInViewer,
  input: { response: unknown; name?: string | null | undefined },
  client: ClientInfo,
): Promise<Passkey> {
  const settings = passkeySettings(deps);
  const name = passkeyName(input.name);
  const signed = clientDataOf(input.response);
  if (signed?.type !== 'webauthn.create') throw unverifiedRegistration();
  if (!originAllowed(settings, signed.origin))
    throw badUserInput('response', 'This page may not use passkeys of this service.');
  const now = deps.clock.now();
  const used = await consumeWebAuthnChallenge(deps.prisma, 'REGISTRATION', signed.challenge, now);
  if (!used || used.userId !== viewer.user.id) throw unverifiedRegistration();

  const { verifyRegistrationResponse } = await webAuthnLibrary();
  let verification: VerifiedRegistrationResponse;
  try {
    verification = await verifyRegistrationResponse({
      response: input.response as RegistrationResponseJSON,
      expectedChallenge: signed.challenge,
      expectedOrigin: signed.origin,
      expectedRPID: settings.rpId,
      requireUserVerification: false,
    });
  } catch {
    throw unverifiedRegistration();
  }
  if (!verification.verified) throw unverifiedRegistration();
  const { credential, credentialDeviceType, credentialBackedUp } = verification.registrationInfo;

  let passkey: Passkey;
  try {
    passkey = await deps.prisma.passkey.create({
      data: {
        userId: viewer.user.id,
        credentialId: credential.id,
        publicKey: new Uint8Array(credential.publicKey),
        counter: BigInt(credential.counter),
        transports: credential.transports ?? [],
        name,
        deviceType: credentialDeviceType,
        backedUp: credentialBackedUp,
        createdAt: now,
      },
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw badUserInput('response', 'This passkey is registered already.');
    throw error;
  }
  // Adding the passkey proves nothing of this session (as for an authenticator
  // app): it proves a second factor by signing in with one or by a step-up.
  await noticePasskeyChange(deps, viewer, 'added', passkey, client);
  return passkey;
}
