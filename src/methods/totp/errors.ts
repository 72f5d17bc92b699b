import { AppError, badUserInput, ErrorCode } from '../../errors.ts';

declare module '../../errors.ts' {
  interface MethodReasons {
    /** Setting up an app in production without DATA_ENCRYPTION_KEY; an app already on. */
    totp: 'SECOND_FACTOR_UNAVAILABLE' | 'TOTP_ALREADY_ENABLED';
  }
}

export const totpUnavailable = () =>
  new AppError('Second factors are not available: the service has no DATA_ENCRYPTION_KEY.', {
    code: ErrorCode.FORBIDDEN,
    reason: 'SECOND_FACTOR_UNAVAILABLE',
  });

export const totpAlreadyEnabled = () =>
  new AppError('An authenticator app is set up already; turn it off first to set up another.', {
    code: ErrorCode.FORBIDDEN,
    reason: 'TOTP_ALREADY_ENABLED',
  });

export const totpNotEnabled = () => badUserInput('code', 'No authenticator app is set up for this account.');
