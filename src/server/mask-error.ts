import { GraphQLError } from 'graphql';
import { AppError, ErrorCode } from '../errors.ts';

/**
 * Expected failures keep their message and code (graphql-js copies an
 * AppError's `extensions` onto the error it reports); GraphQL's own errors
 * (parse, validation) pass as they are; anything else becomes one generic
 * message. Yoga logs the original of every error this replaces.
 */
export function maskError(error: unknown): Error {
  const located = error instanceof GraphQLError ? error : undefined;
  const original = located ? located.originalError : error;

  if (original instanceof AppError) {
    return located ?? new GraphQLError(original.message, { extensions: { ...original.extensions } });
  }
  if (located && (!original || original instanceof GraphQLError)) return located;

  return new GraphQLError('Something went wrong on our side.', {
    nodes: located?.nodes,
    source: located?.source,
    positions: located?.positions,
    path: located?.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  });
}
