import { z } from 'zod';
import { limit, optional } from './env-values.ts';
import { type SettingsSlice, settingsSlice } from './slice.ts';

/** A count per duration, as the RATE_LIMIT_* settings give it (`10/15m`). */
export interface Limit {
  readonly points: number;
  readonly durationSeconds: number;
}

/** One rate limit: its name (in keys, logs and the audit trail), its setting, its default, what it counts. */
export interface NamedLimit {
  readonly name: string;
  readonly variable: `RATE_LIMIT_${string}`;
  readonly byDefault: Limit;
  readonly counts: string;
}

/** Every limit in force, by name. */
export type LimitSettings = Readonly<Record<string, Limit>>;

/** The RATE_LIMIT_* variables of `limits`, each read as `count/duration` over its default. */
export function limitSettings(limits: readonly NamedLimit[]): SettingsSlice<LimitSettings> {
  const variables: Record<string, z.ZodType> = Object.fromEntries(
    limits.map((named) => [named.variable, optional(limit).default(named.byDefault)]),
  );
  return settingsSlice(variables, (e) =>
    Object.fromEntries(limits.map((named) => [named.name, e[named.variable] as Limit])),
  );
}
