import { AppError, badUserInput, ErrorCode } from '../../errors.ts';

declare module '../../errors.ts' {
  interface MethodReasons {
    /** A passkey field, in production without WEBAUTHN_RP_ID. */
    passkeys: 'PASSKEYS_UNAVAILABLE';
  }
}

export const passkeysUnavailable = () =>
  new AppError('Passkeys are not available: the service has no WEBAUTHN_RP_ID.', {
    code: ErrorCode.FORBIDDEN,
    reason: 'PASSKEYS_UNAVAILABLE',
  });

/** A registration response that does not verify: any reason, one answer. */
export const unverifiedRegistration = () =>
  badUserInput('response', 'The passkey could not be verified; ask for new options and try again.');

/** A sign-in assertion that does not verify, whatever the reason: no account is named. */
export const passkeyRefused = () =>
  new AppError('This passkey could not sign you in.', { code: ErrorCode.UNAUTHENTICATED });

/** The credential id a sign-in response names, if it is a plausible one. */
export const credentialIdOf = (response: unknown): string | undefined => {
  const id = (response as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id.length <= 1024 ? id : undefined;
};
