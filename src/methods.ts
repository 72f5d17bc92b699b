import type { SignInMethod } from './auth/method.ts';
import type { MethodSettings } from './config/config.ts';
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

/** What the methods add to the settings: their slices, by id, and their named limits. */
export const METHOD_SETTINGS: MethodSettings = {
  settings: Object.fromEntries(METHODS.flatMap((method) => (method.settings ? [[method.id, method.settings]] : []))),
  limits: METHODS.flatMap((method) => method.limits ?? []),
};
