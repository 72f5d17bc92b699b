import type { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import { AppError, ErrorCode } from '../errors.ts';

/**
 * Expected failures keep their message and code (graphql-js copies an
 * AppError's `extensions` onto the error it reports); GraphQL's own errors
 * (parse, validation) pass as they are; anything else becomes one generic
 * message. Yoga logs the original of every error this replaces.
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
 * one: GraphQL Armor's limits (validation) and CSRF prevention (a 4xx request).
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
