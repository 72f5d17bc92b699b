import { randomBytes, timingSafeEqual } from 'node:crypto';
import { encodeBase32NoPadding } from '@oslojs/encoding';
import { createTOTPKeyURI, generateHOTP } from '@oslojs/otp';

// TOTP as RFC 6238 and every authenticator app have it: SHA-1, 6 digits, 30 s.
// Codes are computed per time step (HOTP with the step as counter) from the
// service's clock, so that the step a code matched is known: a code is accepted
// once, for a step later than the last one accepted.

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** One step of drift either way: a phone's clock a little off, or a code typed as it rolled over. */
const DRIFT_STEPS = 1;

/** 160 random bits, as RFC 4226 recommends. */
export const newTotpSecret = (): Uint8Array<ArrayBuffer> => new Uint8Array(randomBytes(20));

/** The secret as a person would type it into an authenticator app. */
export const totpSecretText = (secret: Uint8Array) => encodeBase32NoPadding(secret);

export const otpauthUri = (issuer: string, accountName: string, secret: Uint8Array) =>
  createTOTPKeyURI(issuer, accountName, secret, TOTP_PERIOD_SECONDS, TOTP_DIGITS);

export const isTotpCode = (code: string) => /^\d{6}$/.test(code);

const stepAt = (now: Date) => BigInt(Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS));

/**
 * The time step `code` belongs to, among the current one and one either side,
 * or null. Steps up to `lastUsedStep` are not looked at: their codes were used,
 * or came before one that was.
 */
export function matchingStep(secret: Uint8Array, code: string, now: Date, lastUsedStep: bigint | null): bigint | null {
  if (!isTotpCode(code)) return null;
  const current = stepAt(now);
  for (let offset = -DRIFT_STEPS; offset <= DRIFT_STEPS; offset++) {
    const step = current + BigInt(offset);
    if (lastUsedStep !== null && step <= lastUsedStep) continue;
    const expected = generateHOTP(secret, step, TOTP_DIGITS);
    if (timingSafeEqual(Buffer.from(expected), Buffer.from(code))) return step;
  }
  return null;
}
