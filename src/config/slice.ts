import type { z } from 'zod';

/**
 * A concern's settings: the variables it reads (zod schemas, merged with the
 * service's own into one environment model) and what it makes of them. A
 * problem is pushed onto `errors` as one line naming its variable.
 */
export interface SettingsSlice<T> {
  readonly variables: z.ZodRawShape;
  read(env: Readonly<Record<string, unknown>>, context: SettingsContext): T;
}

export interface SettingsContext {
  readonly production: boolean;
  readonly errors: string[];
}
