import { dictionary } from '@zxcvbn-ts/language-common';

// zxcvbn-ts's maintained list of ~49,000 passwords seen most often in breaches.
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(dictionary['passwords-common']);

export function isCommonPassword(password: string): boolean {
  return COMMON_PASSWORDS.has(password.toLowerCase());
}
