/**
 * The contract's error codes. Domain code throws these; the GraphQL layer turns
 * them into `errors[].extensions`, and masks anything else.
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  EMAIL_TAKEN: 'EMAIL_TAKEN',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  RATE_LIMITED: 'RATE_LIMITED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Why a bearer token was refused (`extensions.reason`). */
export type TokenRefusal = 'TOKEN_EXPIRED' | 'TOKEN_INVALID' | 'TOKEN_REVOKED';

export interface AppErrorExtensions {
  code: ErrorCode;
  field?: string;
  reason?: TokenRefusal;
  /** Seconds until a rate-limited call may be tried again (also sent as Retry-After). */
  retryAfter?: number;
  http?: { status: number; headers?: Record<string, string> };
}

/** An expected failure whose message is safe to show to the caller. */
export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    message: string,
    readonly extensions: AppErrorExtensions,
  ) {
    super(message);
  }

  get code(): ErrorCode {
    return this.extensions.code;
  }
}

export const badUserInput = (field: string, message: string) =>
  new AppError(message, { code: ErrorCode.BAD_USER_INPUT, field });

export const emailTaken = () =>
  new AppError('An account with this email already exists.', { code: ErrorCode.EMAIL_TAKEN, field: 'email' });

export const invalidCredentials = () =>
  new AppError('Incorrect email or password.', { code: ErrorCode.UNAUTHENTICATED });

const REFUSAL_MESSAGES: Record<TokenRefusal, string> = {
  TOKEN_EXPIRED: 'The access token has expired.',
  TOKEN_INVALID: 'The access token is not valid.',
  TOKEN_REVOKED: 'The session behind this access token has ended.',
};

export const unauthenticated = (reason?: TokenRefusal) =>
  reason
    ? new AppError(REFUSAL_MESSAGES[reason], { code: ErrorCode.UNAUTHENTICATED, reason })
    : new AppError('You must be signed in.', { code: ErrorCode.UNAUTHENTICATED });

export const forbidden = () => new AppError('You are not allowed to do this.', { code: ErrorCode.FORBIDDEN });

/** HTTP 429 with Retry-After, in whole seconds (at least 1). */
export const rateLimited = (msBeforeNext: number) => {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new AppError(`Too many attempts; try again in ${seconds} seconds.`, {
    code: ErrorCode.RATE_LIMITED,
    retryAfter: seconds,
    http: { status: 429, headers: { 'Retry-After': String(seconds) } },
  });
};
