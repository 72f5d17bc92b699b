import { z } from 'zod';
import { settingsSlice } from '../slice.ts';
import { flag, httpUrl, integer, onOff, optional, trustProxy } from '../env-values.ts';

export interface HttpSettings {
  readonly port: number;
  readonly host: string;
  readonly graphiql: boolean;
  readonly introspection: boolean;
  /** `'*'` allows every origin; an empty list allows none. */
  readonly corsOrigins: '*' | readonly string[];
  readonly maxBodyBytes: number;
  /** PUBLIC_URL: where the service is reached; unset, `http://{HOST}:{the port it listens on}`. */
  readonly publicUrl: string | undefined;
  /** ACCOUNT_PAGES: the service serves pages of its own for the links it mails (under /account/). */
  readonly accountPages: boolean;
}

/** The port and what is served on it. */
export const httpSettings = settingsSlice(
  {
    PORT: optional(integer(0, 65535)).default(4000),
    HOST: optional(z.string()).default('localhost'),
    GRAPHIQL: optional(flag),
    INTROSPECTION: optional(flag),
    CORS_ORIGINS: optional(z.string()),
    MAX_BODY_BYTES: optional(integer(1024, 10 * 1024 * 1024)).default(100 * 1024),
    PUBLIC_URL: optional(httpUrl),
    ACCOUNT_PAGES: optional(onOff),
    TRUST_PROXY: optional(trustProxy),
  },
  (e, { production }) => {
    const http: HttpSettings = {
      port: e.PORT,
      host: e.HOST,
      graphiql: e.GRAPHIQL ?? !production,
      introspection: e.INTROSPECTION ?? !production,
      corsOrigins: e.CORS_ORIGINS
        ? e.CORS_ORIGINS.split(',')
            .map((origin) => origin.trim())
            .filter(Boolean)
        : production
          ? []
          : ('*' as const),
      maxBodyBytes: e.MAX_BODY_BYTES,
      publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
      accountPages: e.ACCOUNT_PAGES ?? !production,
    };
    /**
     * Which proxies' X-Forwarded-For is believed: a hop count, or addresses, CIDRs
     * and the names loopback / linklocal / uniquelocal. Unset: none.
     */
    const trustProxy: number | readonly string[] | undefined = e.TRUST_PROXY;
    return { http, trustProxy };
  },
);
