import type { GraphQLError } from 'graphql';
import { createGraphQLError, isAsyncIterable, type Plugin } from 'graphql-yoga';
import { AppError, ErrorCode } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import type { Context } from '../../schema/context.ts';

/**
 * Expected failures keep their message and code (graphql-js copies an
 * AppError's `extensions` onto the error it reports); GraphQL's own errors
 * (parse, validation) pass as they are; anything else becomes one generic
 * message. The original of every error this replaces is logged: by
 * `maskAndLog` with the request's id where the request is known, otherwise by Yoga.
 */
export function maskError(error: unknown): Error {
  const located = asGraphQLError(error);
  const original = located ? located.originalError : error;

  if (original instanceof AppError) {
    return located ?? createGraphQLError(original.message, { extensions: { ...original.extensions } });
  }
  if (located && (!original || asGraphQLError(original))) return withCode(withoutLibraryDetail(located));

  return createGraphQLError('Something went wrong on our side.', {
    nodes: located?.nodes,
    source: located?.source,
    positions: located?.positions,
    path: located?.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  });
}

/** `maskError`, logging the original with `logger` when it is replaced. */
export function maskAndLog(error: unknown, logger: Logger): Error {
  const masked = maskError(error);
  if (masked !== error) logger.error({ err: error }, 'unexpected error');
  return masked;
}

/**
 * Masks execution errors within the request, so each replaced one is logged
 * with the request's id. Yoga's masking, which runs after this, then finds
 * nothing left to replace.
 */
export function useRequestErrorLog(): Plugin<Context> {
  return {
    onExecute() {
      return {
        onExecuteDone({ args, result, setResult }) {
          if (isAsyncIterable(result) || !result.errors?.length) return;
          const { logger } = args.contextValue;
          let replaced = false;
          const errors = result.errors.map((error) => {
            const masked = maskAndLog(error, logger) as GraphQLError;
            replaced ||= masked !== error;
            return masked;
          });
          if (replaced) setResult({ ...result, errors });
        },
      };
    },
  };
}

/**
 * Yoga's request errors carry the parser's own error in `extensions.originalError`,
 * whose message quotes the request body (passwords included): it is removed.
 * Yoga would then answer such an error with 200 to an `application/json`
 * client; its status is pinned so a malformed request still gets 400.
 */
function withoutLibraryDetail(error: GraphQLError): GraphQLError {
  const extensions = error.extensions as Record<string, unknown> & { http?: { status?: number; spec?: boolean } };
  if (!('originalError' in extensions)) return error;
  delete extensions.originalError;
  if (extensions.http?.spec) extensions.http = { ...extensions.http, spec: false };
  return error;
}

/**
 * Every error a client sees carries a code. Some plugins' refusals come without
 * one, such as GraphQL Armor's limits (validation).
 */
function withCode(error: GraphQLError): GraphQLError {
  const extensions = error.extensions as Record<string, unknown> & { http?: { status?: number } };
  if (typeof extensions.code !== 'string') {
    const status = extensions.http?.status ?? 200;
    extensions.code = status >= 400 && status < 500 ? 'BAD_REQUEST' : 'GRAPHQL_VALIDATION_FAILED';
  }
  return error;
}

// By name rather than `instanceof`: a bundler or test runner may load a second
// copy of graphql-js, whose GraphQLError is another class.
function asGraphQLError(error: unknown): GraphQLError | undefined {
  return error instanceof Error && error.name === 'GraphQLError' ? (error as GraphQLError) : undefined;
}
