import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { webAuthnLibrary } from './library.ts';
import type { PrismaClient } from '../../../generated/prisma/client.ts';
import type { PasskeySettings } from '../settings.ts';
import { WEBAUTHN_CHALLENGE_TTL_SECONDS } from './challenges.ts';

/** An account's passkeys as options name them: credential id and transports. */
export async function passkeyDescriptors(prisma: Pick<PrismaClient, 'passkey'>, userId: string) {
  const passkeys = await prisma.passkey.findMany({
    where: { userId },
    select: { credentialId: true, transports: true },
  });
  return passkeys.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports }));
}

/**
 * Options for startAuthentication (navigator.credentials.get): the challenge,
 * and the passkeys that may answer it (none: any the browser holds for this site).
 */
export async function requestOptions(
  settings: PasskeySettings,
  challenge: Uint8Array<ArrayBuffer>,
  allowCredentials: Awaited<ReturnType<typeof passkeyDescriptors>>,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const { generateAuthenticationOptions } = await webAuthnLibrary();
  return generateAuthenticationOptions({
    rpID: settings.rpId,
    challenge,
    timeout: WEBAUTHN_CHALLENGE_TTL_SECONDS * 1000,
    userVerification: 'preferred',
    allowCredentials,
  });
}
