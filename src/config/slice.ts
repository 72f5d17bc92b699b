import type { z } from 'zod';

/**
 * A concern's settings: the variables it reads (zod schemas, parsed on their
 * own, so each concern names only its variables) and what it makes of them. A
 * problem is pushed onto `errors` as one line naming its variable. `C` is what
 * it needs of the concerns read before it, handed over by the composition.
 */
export interface SettingsSlice<T, S extends z.ZodRawShape = z.ZodRawShape, C = object> {
  readonly variables: S;
  read(env: z.output<z.ZodObject<S>>, context: SettingsContext & C): T;
}

export interface SettingsContext {
  readonly production: boolean;
  /** APP_NAME: what the service calls itself, the default of the names others show. */
  readonly appName: string;
  readonly errors: string[];
}

/** A slice, its variables' types inferred once for its `read`. */
export const settingsSlice = <S extends z.ZodRawShape, T, C = object>(
  variables: S,
  read: (env: z.output<z.ZodObject<S>>, context: SettingsContext & C) => T,
): SettingsSlice<T, S, C> => ({ variables, read });
