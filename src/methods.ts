import type { SignInMethod } from './auth/method.ts';
import { passkeys } from './methods/passkeys/index.ts';
import { password } from './methods/password/index.ts';
import { totp } from './methods/totp/index.ts';

/**
 * The sign-in methods of the service, in the order a second step offers them.
 * A method turned off by its settings (passkeys without WEBAUTHN_RP_ID in
 * production) stays in the list: an account that has it keeps needing it, so no
 * setting ever makes an account weaker; its fields answer that it is off.
 */
export const METHODS: readonly SignInMethod[] = [password, totp, passkeys];

/** The methods' settings slices, by id, for loadConfig. */
export const METHOD_SETTINGS = Object.fromEntries(
  METHODS.flatMap((method) => (method.settings ? [[method.id, method.settings]] : [])),
);
