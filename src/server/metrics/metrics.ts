import { getOperationAST, type GraphQLError } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Registry } from 'prom-client';
import { METRICS_PATH, scrape } from './scrape.ts';
import { ErrorCode } from '../../errors.ts';
import type { Metrics, OperationLabels } from '../../metrics.ts';

const ANONYMOUS_OPERATION = 'anonymous';
/** The name label of operations named after the first `maxOperationNames` names were seen. */
const OTHER_OPERATION = 'other';
/** Name and type of a request refused before anything ran (unparsable, invalid, malformed): its outcome says why. */
const UNKNOWN = 'unknown';
const OK = 'ok';

const DEFAULT_MAX_OPERATION_NAMES = 100;

const RECEIVED_AT = Symbol('receivedAt');
interface Timed {
  [RECEIVED_AT]?: number;
}

/**
 * Counts and times every GraphQL operation by name, type and outcome. Names
 * come only from documents that parsed and validated, and only the first
 * `maxOperationNames` distinct ones: clients choose them, and each is a series.
 */
export function useOperationMetrics(metrics: Metrics, maxOperationNames = DEFAULT_MAX_OPERATION_NAMES): Plugin {
  const names = new Set<string>();
  const nameLabel = (name: string | undefined) => {
    if (name === undefined) return ANONYMOUS_OPERATION;
    if (names.has(name)) return name;
    if (names.size >= maxOperationNames) return OTHER_OPERATION;
    names.add(name);
    return name;
  };

  const labelSets = new Map<string, OperationLabels>();
  const record = (
    operation: string,
    type: string,
    errors: readonly GraphQLError[] | undefined,
    receivedAt: number | undefined,
  ) => {
    const outcome = outcomeOf(errors);
    const key = `${type} ${operation} ${outcome}`;
    let labels = labelSets.get(key);
    if (!labels) {
      labels = { operation, type, outcome };
      labelSets.set(key, labels);
    }
    metrics.operationFinished(labels, receivedAt === undefined ? 0 : (performance.now() - receivedAt) / 1000);
  };

  return {
    onRequest({ serverContext }) {
      (serverContext as Timed)[RECEIVED_AT] = performance.now();
    },
    onExecute({ args }) {
      const operation = getOperationAST(args.document, args.operationName);
      const name = operation ? nameLabel(operation.name?.value) : UNKNOWN;
      const type = operation ? operation.operation : UNKNOWN;
      // The context is the request's server context, or (in a batch) an object inheriting from it.
      const receivedAt = (args.contextValue as Timed)[RECEIVED_AT];
      return {
        onExecuteDone({ result }) {
          if (!isAsyncIterable(result)) record(name, type, result.errors, receivedAt);
        },
      };
    },
    // What never reached execution: a result with no `data` at all.
    onResultProcess({ result, serverContext }) {
      if (isAsyncIterable(result)) return;
      const receivedAt = (serverContext as Timed)[RECEIVED_AT];
      if (!Array.isArray(result)) {
        if (!('data' in result)) record(UNKNOWN, UNKNOWN, result.errors, receivedAt);
        return;
      }
      for (const entry of result) {
        if (!('data' in entry)) record(UNKNOWN, UNKNOWN, entry.errors, receivedAt);
      }
    },
  };
}

function outcomeOf(errors: readonly GraphQLError[] | undefined): string {
  const first = errors?.[0];
  if (first === undefined) return OK;
  const code = first.extensions?.code;
  return typeof code === 'string' ? code : ErrorCode.INTERNAL_SERVER_ERROR;
}

/** Serves the registry at `GET /metrics` on the app's own port. */
export function useMetricsEndpoint(registry: Registry): Plugin {
  return {
    onRequest({ url, request, endResponse, fetchAPI }) {
      if (url.pathname !== METRICS_PATH) return;
      return scrape(registry, request.method).then(({ status, headers, body }) => {
        endResponse(new fetchAPI.Response(body, { status, headers }));
      });
    },
  };
}
