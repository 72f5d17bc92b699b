import type * as SimpleWebAuthn from '@simplewebauthn/server';

// @simplewebauthn/server, loaded by the first passkey ceremony rather than at
// start: ~17 MiB (its ASN.1 and COSE code) that a service whose users have no
// passkeys never needs.
let library: Promise<typeof SimpleWebAuthn> | undefined;

export const webAuthnLibrary = (): Promise<typeof SimpleWebAuthn> => {
  library ??= import('@simplewebauthn/server');
  return library;
};
