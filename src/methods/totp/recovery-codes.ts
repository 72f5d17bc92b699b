import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { encodeBase32NoPadding } from '@oslojs/encoding';

// Recovery codes: 10 of them, each 80 random bits written as four groups of
// four (`abcd-efgh-ijkl-mnop`), shown once. Each is stored as SHA-256 of its own
// random salt and the code: with 80 bits, no dictionary or brute force finds a
// code from its hash, so a fast hash serves, and checking ten costs microseconds.

export const RECOVERY_CODE_COUNT = 10;

export interface StoredRecoveryCode {
  salt: Uint8Array<ArrayBuffer>;
  codeHash: Uint8Array<ArrayBuffer>;
}

const normalize = (code: string) => code.toLowerCase().replace(/[\s-]/g, '');

const hashWith = (salt: Uint8Array, code: string) =>
  new Uint8Array(createHash('sha256').update(salt).update(normalize(code), 'utf8').digest());

/** Looks like a recovery code (16 base32 characters, dashes and spaces aside). */
export const isRecoveryCode = (code: string) => /^[a-z2-7]{16}$/.test(normalize(code));

export function newRecoveryCodes(): { codes: string[]; stored: StoredRecoveryCode[] } {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () =>
    (encodeBase32NoPadding(randomBytes(10)).toLowerCase().match(/.{4}/g) ?? []).join('-'),
  );
  const stored = codes.map((code) => {
    const salt = new Uint8Array(randomBytes(16));
    return { salt, codeHash: hashWith(salt, code) };
  });
  return { codes, stored };
}

/** Whether `code` is the one stored. */
export const recoveryCodeMatches = (code: string, stored: { salt: Uint8Array; codeHash: Uint8Array }) =>
  timingSafeEqual(hashWith(stored.salt, code), stored.codeHash);
