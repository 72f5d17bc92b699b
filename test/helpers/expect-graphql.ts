import { expect } from 'vitest';
import type { GraphQLResponse } from './test-app.ts';

/** The data of a response that must have no errors; prints the errors when it has some. */
export function expectData<TData>(response: GraphQLResponse<TData>): TData {
  expect(response.body.errors, JSON.stringify(response.body.errors, null, 2)).toBeUndefined();
  expect(response.status).toBe(200);
  return response.body.data as TData;
}

/** The single error of a response, checked to carry `code` (and whatever else is given). */
export function expectError(
  response: GraphQLResponse<unknown>,
  code: string,
  extensions: Record<string, unknown> = {},
) {
  expect(response.body.errors, JSON.stringify(response.body, null, 2)).toHaveLength(1);
  const [error] = response.body.errors!;
  expect(error!.extensions).toMatchObject({ code, ...extensions });
  return error!;
}
