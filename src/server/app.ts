import { createYoga, useReadinessCheck, type YogaServerInstance } from 'graphql-yoga';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import type { Config } from '../config/config.ts';
import type { Logger } from '../logger.ts';
import { schema } from '../schema.ts';
import type { Services } from '../services.ts';
import { useBatchRateLimitStatus } from './graphql/batch-rate-limit.ts';
import { useBodyLimit } from './http/body-limit.ts';
import type { Context } from '../schema/context.ts';
import { createContextFactory } from './graphql/context-factory.ts';
import type { ServerContext } from './http/server-context.ts';
import { graphqlHardening } from './graphql/graphql-hardening.ts';
import { useCompression } from './http/compression.ts';
import { useAccountPages } from './endpoints/account/serve.ts';
import { useDevMailPage } from './endpoints/dev-mail.ts';
import { GRAPHIQL_DEFAULT_DOCUMENT, GRAPHIQL_DEFAULT_HEADERS } from './endpoints/graphiql/default-document.ts';
import { graphiqlPage } from './endpoints/graphiql/page.ts';
import { graphiqlAssets, useGraphiQLAssets } from './endpoints/graphiql/serve.ts';
import { useHead } from './http/head.ts';
import { useJsonBodies } from './http/json-bodies.ts';
import { useJwks } from './endpoints/jwks.ts';
import { useLandingPage } from './endpoints/landing.ts';
import { useNoStore } from './http/no-store.ts';
import { maskError, useRequestErrorLog } from './http/mask-error.ts';
import { useMetricsEndpoint, useOperationMetrics } from './metrics/metrics.ts';
import { useRequestId } from './http/request-id.ts';

const GRAPHQL_ENDPOINT = '/graphql';

export type App = YogaServerInstance<ServerContext, Context>;

export interface AppOptions {
  config: Config;
  services: Services;
  logger: Logger;
  /** Whether the database answers; `/ready` reports it. */
  isDatabaseReady: () => Promise<boolean>;
}

/** The whole HTTP surface, with no port: `main.ts` listens, tests call `app.fetch`. */
export function createApp({ config, services, logger, isDatabaseReady }: AppOptions): App {
  const { http } = config;
  const { metrics } = services;
  const assets = graphiqlAssets();
  const yoga: App = createYoga<ServerContext, Context>({
    schema,
    context: createContextFactory(services, config.trustProxy),
    graphqlEndpoint: GRAPHQL_ENDPOINT,
    healthCheckEndpoint: '/health',
    landingPage: false,
    graphiql: http.graphiql
      ? { title: 'Tollgate', defaultQuery: GRAPHIQL_DEFAULT_DOCUMENT, headers: GRAPHIQL_DEFAULT_HEADERS }
      : false,
    // A small page naming GraphiQL's files, which the service serves itself (no CDN,
    // works offline) and browsers keep; loaded on the first visit only.
    renderGraphiQL: async (options) => graphiqlPage(await assets(), { ...options, endpoint: GRAPHQL_ENDPOINT }),
    maskedErrors: { maskError, isDev: false },
    cors: corsOptions(http.corsOrigins),
    logging: yogaLogger(logger),
    batching: config.graphql.batchLimit > 0 ? { limit: config.graphql.batchLimit } : false,
    // useBodyLimit below enforces MAX_BODY_BYTES. Yoga's own limit would pipe every
    // body through a transform stream, a tenth of a request's CPU time.
    maxRequestBodySize: false,
    plugins: [
      // HEAD is answered as GET is, through every plugin below.
      useHead(() => yoga),
      // First, so that every response has an id, and the error log runs before the metrics read the codes.
      useRequestId(),
      useCompression(),
      useNoStore(GRAPHQL_ENDPOINT),
      useRequestErrorLog(),
      ...(metrics ? [useOperationMetrics(metrics)] : []),
      // With METRICS_PORT, main.ts serves them on that port instead.
      ...(metrics && config.metrics.port === undefined ? [useMetricsEndpoint(metrics.registry)] : []),
      useBodyLimit(http.maxBodyBytes),
      useJsonBodies(GRAPHQL_ENDPOINT),
      ...graphqlHardening(config),
      useBatchRateLimitStatus(),
      useJwks(services.tokens.publicKeys),
      useLandingPage({
        graphqlEndpoint: GRAPHQL_ENDPOINT,
        graphiql: http.graphiql,
        accountPages: http.accountPages,
      }),
      ...(http.graphiql ? [useGraphiQLAssets(assets)] : []),
      ...(services.keptMail && config.env !== 'production'
        ? [useDevMailPage(services.keptMail, config.mail.links, () => services.publicUrl.get())]
        : []),
      ...(http.accountPages
        ? [useAccountPages({ appName: config.mail.appName, graphqlEndpoint: GRAPHQL_ENDPOINT })]
        : []),
      useReadinessCheck({ endpoint: '/ready', check: isDatabaseReady }),
      ...(http.introspection ? [] : [useDisableIntrospection()]),
    ],
  });
  return yoga;
}

/**
 * Bearer tokens travel in a header, never a cookie, so credentials stay off. A
 * listed origin is echoed back with `Vary: Origin`; any other gets no CORS header.
 * Given the list itself, Yoga would answer an unlisted origin with
 * `Access-Control-Allow-Origin: null` (which a sandboxed page, whose origin is
 * "null", passes), send a lone listed origin to everyone, and read an empty list
 * as "any".
 */
function corsOptions(origins: Config['http']['corsOrigins']) {
  const options = { allowedHeaders: ['authorization', 'content-type'], methods: ['GET', 'POST'], credentials: false };
  // Told '*', Yoga echoes the request's origin with `Vary: Origin`.
  const echo = { ...options, origin: '*' };
  if (origins === '*' || origins.includes('*')) return echo;
  if (origins.length === 0) return false;
  const allowed = new Set(origins);
  return (request: Request) => (allowed.has(request.headers.get('origin') ?? '') ? echo : false);
}

/** Yoga's own log lines go to the service log; its debug output (which can echo variables) does not. */
function yogaLogger(logger: Logger) {
  const child = logger.child({ component: 'yoga' });
  return {
    debug: () => {},
    info: (...args: unknown[]) => child.info(describe(args)),
    warn: (...args: unknown[]) => child.warn(describe(args)),
    error: (...args: unknown[]) => {
      const err = args.find((a) => a instanceof Error);
      child.error({ err }, describe(args.filter((a) => !(a instanceof Error))) || 'unexpected error');
    },
  };
}

const describe = (args: unknown[]) => args.filter((a) => typeof a === 'string').join(' ');
