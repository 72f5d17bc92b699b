// What both client examples do when `login` answers SECOND_FACTOR_REQUIRED:
// ask the person for a code (an authenticator app's, or a recovery code), and
// send it with the challenge; a wrong code may be tried again, a few times.

/** How the person is asked: `methods` says what the account can use (TOTP, RECOVERY_CODE, PASSKEY). */
export type AskForCode = (methods: readonly string[], attempt: number) => Promise<string>;

/** The part of a GraphQL error a client branches on. */
export interface ErrorExtensions {
  code?: unknown;
  challenge?: unknown;
  methods?: unknown;
  field?: unknown;
}

/** The challenge and methods of a SECOND_FACTOR_REQUIRED answer, or undefined for any other error. */
export function secondFactorChallenge(errors: readonly { extensions?: ErrorExtensions }[]) {
  const found = errors.find((error) => error.extensions?.code === 'SECOND_FACTOR_REQUIRED')?.extensions;
  if (typeof found?.challenge !== 'string') return undefined;
  const methods = Array.isArray(found.methods) ? found.methods.map(String) : [];
  return { challenge: found.challenge, methods };
}

/** A wrong code (worth asking again), as opposed to an expired challenge or a limit. */
export const isWrongCode = (errors: readonly { extensions?: ErrorExtensions }[]) =>
  errors.some((error) => error.extensions?.code === 'BAD_USER_INPUT' && error.extensions.field === 'code');

/** How many codes a person may type for one login before starting again. */
export const CODE_ATTEMPTS = 3;
