import { z } from 'zod';
import type { NamedLimit } from './limits.ts';
import type { SettingsContext, SettingsSlice } from './slice.ts';
import { databaseSettings, type DatabaseSettings } from './slices/database.ts';
import { httpSettings, type HttpSettings } from './slices/http.ts';
import { mailSettings, type MailSettings } from './slices/mail.ts';
import { passwordSettings, type PasswordSettings } from './slices/passwords.ts';
import { processSettings, type MetricsSettings, type WorkerSettings } from './slices/processes.ts';
import { rateLimitSettings, type RateLimitSettings } from './slices/rate-limits.ts';
import { secondFactorSettings, type SecondFactorSettings } from './slices/second-factors.ts';
import { tokenSettings, type TokenSettings } from './slices/tokens.ts';
import {
  environmentSettings,
  type GraphQLLimits,
  graphqlSettings,
  type LogSettings,
  type NodeEnv,
  recordSettings,
} from './slices/service.ts';

export type { NodeEnv };

// The settings are composed from slices, one per concern (slices/) and one per
// sign-in method (its settings.ts): each parses its own variables and reads
// them, and this file only hands each what it needs of those read before it.

export interface Config {
  readonly env: NodeEnv;
  readonly http: HttpSettings;
  readonly database: DatabaseSettings;
  readonly tokens: TokenSettings;
  readonly passwords: PasswordSettings;
  readonly rateLimit: RateLimitSettings;
  readonly secondFactors: SecondFactorSettings;
  /** The settings of each sign-in method, by its id: read by the method itself (its settings slice). */
  readonly methods: Readonly<Record<string, unknown>>;
  readonly mail: MailSettings;
  /** How long audit events are kept. */
  readonly auditRetentionSeconds: number;
  /** Shared store for rate-limit counters; unset: each instance counts in memory. */
  readonly redisUrl: string | undefined;
  /**
   * Which proxies' X-Forwarded-For is believed: a hop count, or addresses, CIDRs
   * and the names loopback / linklocal / uniquelocal. Unset: none.
   */
  readonly trustProxy: number | readonly string[] | undefined;
  readonly graphql: GraphQLLimits;
  readonly log: LogSettings;
  /**
   * Processes serving the port (WORKERS): one, or several sharing it, with a
   * primary that starts and stops them. Several need a PostgreSQL server; on the
   * embedded database `count` is 1 whatever was `requested`.
   */
  readonly workers: WorkerSettings;
  readonly metrics: MetricsSettings;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

/** What the sign-in methods in force add: their settings, by method id, and their named limits. */
export interface MethodSettings {
  readonly settings?: Readonly<Record<string, SettingsSlice<unknown>>>;
  readonly limits?: readonly NamedLimit[];
}

type Env = Record<string, string | undefined>;

type Parsed<T extends Record<string, { variables: z.ZodRawShape }>> = {
  [K in keyof T]: z.output<z.ZodObject<T[K]['variables']>>;
};

/** Each slice's variables, parsed on their own: every problem of every slice, or the values of all. */
function parseSlices<T extends Record<string, { variables: z.ZodRawShape }>>(
  env: Env,
  slices: T,
): { ok: true; values: Parsed<T> } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, slice] of Object.entries(slices)) {
    const parsed = z.object(slice.variables).safeParse(env);
    if (parsed.success) values[name] = parsed.data;
    else errors.push(...parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, values: values as Parsed<T> };
}

/**
 * Reads the environment into a frozen Config, or one line per problem, each
 * naming its variable. `methods`: what the sign-in methods in force add
 * (src/settings.ts passes those of the list).
 */
export function loadConfig(env: Env = process.env, methods: MethodSettings = {}): ConfigResult {
  const rateLimits = rateLimitSettings(methods.limits ?? []);
  const kernel = {
    environmentSettings,
    httpSettings,
    databaseSettings,
    tokenSettings,
    rateLimits,
    processSettings,
    passwordSettings,
    secondFactorSettings,
    mailSettings,
    graphqlSettings,
    recordSettings,
  };
  const parsed = parseSlices(env, kernel);
  const methodsParsed = parseSlices(env, methods.settings ?? {});
  if (!parsed.ok || !methodsParsed.ok) {
    return { ok: false, errors: [parsed, methodsParsed].flatMap((result) => (result.ok ? [] : result.errors)) };
  }
  const e = parsed.values;

  const context: SettingsContext = {
    production: e.environmentSettings.NODE_ENV === 'production',
    appName: e.mailSettings.APP_NAME,
    errors: [],
  };
  const { http, trustProxy } = httpSettings.read(e.httpSettings, context);
  const { database } = databaseSettings.read(e.databaseSettings, context);
  const { rateLimit, redisUrl } = rateLimits.read(e.rateLimits, context);
  const { workers, metrics } = processSettings.read(e.processSettings, {
    ...context,
    port: http.port,
    databaseUrl: database.url,
    redisUrl,
    rateLimited: rateLimit.enabled,
  });
  const config: Config = {
    ...environmentSettings.read(e.environmentSettings, context),
    http,
    trustProxy,
    database,
    ...tokenSettings.read(e.tokenSettings, context),
    ...passwordSettings.read(e.passwordSettings, { ...context, workers: workers.count }),
    rateLimit,
    redisUrl,
    ...secondFactorSettings.read(e.secondFactorSettings, context),
    ...mailSettings.read(e.mailSettings, { ...context, accountPages: http.accountPages, publicUrl: http.publicUrl }),
    methods: Object.fromEntries(
      Object.entries(methods.settings ?? {}).map(([id, slice]) => [
        id,
        slice.read(methodsParsed.values[id] ?? {}, context),
      ]),
    ),
    ...graphqlSettings.read(e.graphqlSettings, context),
    ...recordSettings.read(e.recordSettings, context),
    workers,
    metrics,
  };
  if (context.errors.length > 0) return { ok: false, errors: context.errors };
  return { ok: true, config: deepFreeze(config) };
}

function deepFreeze<T>(value: T): T {
  // Key bytes stay as they are: a typed array with elements cannot be frozen.
  if (value && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
