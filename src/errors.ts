/**
 * The contract's error codes. Domain code throws these; the GraphQL layer turns
 * them into `errors[].extensions`, and masks anything else.
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  EMAIL_TAKEN: 'EMAIL_TAKEN',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  SECOND_FACTOR_REQUIRED: 'SECOND_FACTOR_REQUIRED',
  RATE_LIMITED: 'RATE_LIMITED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Why a bearer token was refused (`extensions.reason`). */
export type TokenRefusal = 'TOKEN_EXPIRED' | 'TOKEN_INVALID' | 'TOKEN_REVOKED';

/** Why a request was refused, beside its code (`extensions.reason`). */
export type KernelReason =
  | TokenRefusal
  | 'ACCOUNT_DISABLED'
  | 'EMAIL_NOT_VERIFIED'
  | 'PASSWORD_RESET_REQUIRED'
  | 'STEP_UP_REQUIRED'
  | 'SECOND_FACTOR_REQUIRED'
  | 'CHALLENGE_INVALID';

/**
 * The reasons a sign-in method adds, declared in its own errors.ts by merging
 * into this interface (`interface MethodReasons { emailCode: 'EMAIL_CODES_UNAVAILABLE' }`),
 * so that the list of reasons grows with the methods and stays checked.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging, in the methods' folders
export interface MethodReasons {}

export type Reason = KernelReason | MethodReasons[keyof MethodReasons];

/** How an account's second factor can be proved (`extensions.methods`): a method's offers (`RECOVERY_CODE`, say). */
export type SecondFactorMethod = string;

export interface AppErrorExtensions {
  code: ErrorCode;
  field?: string;
  reason?: Reason;
  /** Seconds until a rate-limited call may be tried again (also sent as Retry-After). */
  retryAfter?: number;
  /** SECOND_FACTOR_REQUIRED at login: what `verifySecondFactor` takes to finish it. */
  challenge?: string;
  /** SECOND_FACTOR_REQUIRED and STEP_UP_REQUIRED: how the account can prove its second factor. */
  methods?: SecondFactorMethod[];
  /** Codes a challenge still takes. */
  attemptsLeft?: number;
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

export const emailTaken = (field = 'email') =>
  new AppError('An account with this email already exists.', { code: ErrorCode.EMAIL_TAKEN, field });

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

/** The right password for an account an admin has disabled. */
export const accountDisabled = () =>
  new AppError('This account is disabled.', { code: ErrorCode.UNAUTHENTICATED, reason: 'ACCOUNT_DISABLED' });

/** The right password for an account whose address is not verified yet, when verification is required. */
export const emailNotVerified = () =>
  new AppError('Confirm your email address first: follow the link we sent to it.', {
    code: ErrorCode.FORBIDDEN,
    reason: 'EMAIL_NOT_VERIFIED',
  });

/** The right password for an account its owner secured ("it was not me"): it signs nobody in until reset. */
export const passwordResetRequired = () =>
  new AppError('This password was locked from the account’s mail: choose a new one with the link we sent.', {
    code: ErrorCode.FORBIDDEN,
    reason: 'PASSWORD_RESET_REQUIRED',
  });

/** HTTP 429 with Retry-After, in whole seconds (at least 1). */
export const rateLimited = (msBeforeNext: number) => {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new AppError(`Too many attempts; try again in ${seconds} seconds.`, {
    code: ErrorCode.RATE_LIMITED,
    retryAfter: seconds,
    http: { status: 429, headers: { 'Retry-After': String(seconds) } },
  });
};

/** After the right password, to an account with a second factor: no tokens yet. `prompt` says what to give. */
export const secondFactorRequired = (methods: SecondFactorMethod[], prompt: string, challenge?: string) =>
  new AppError(prompt, {
    code: ErrorCode.SECOND_FACTOR_REQUIRED,
    methods,
    ...(challenge ? { challenge } : {}),
  });

/** A change to how one signs in, from a session whose second factor is not recent. */
export const stepUpRequired = (methods: SecondFactorMethod[], prompt: string) =>
  new AppError(prompt, { code: ErrorCode.FORBIDDEN, reason: 'STEP_UP_REQUIRED', methods });

export const wrongCode = (attemptsLeft?: number) =>
  new AppError('The code is not correct.', {
    code: ErrorCode.BAD_USER_INPUT,
    field: 'code',
    ...(attemptsLeft === undefined ? {} : { attemptsLeft }),
  });

const CHALLENGE_MESSAGES = {
  used: 'This sign-in was finished already; log in again.',
  exhausted: 'This sign-in took its last code; log in again.',
  expired: 'This sign-in has expired; log in again.',
} as const;

/** An unknown, used, expired or exhausted login challenge: start again with `login`. The message says which. */
export const challengeInvalid = (why: keyof typeof CHALLENGE_MESSAGES = 'expired') =>
  new AppError(CHALLENGE_MESSAGES[why], { code: ErrorCode.UNAUTHENTICATED, reason: 'CHALLENGE_INVALID' });

/** With REQUIRE_ADMIN_SECOND_FACTOR=on: an admin field, to an admin whose session proved no second factor. */
export const adminSecondFactorRequired = () =>
  new AppError('Admin actions need a session that proved a second factor: sign in with it, or step up.', {
    code: ErrorCode.FORBIDDEN,
    reason: 'SECOND_FACTOR_REQUIRED',
  });
