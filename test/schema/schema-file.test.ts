import { readFile } from 'node:fs/promises';
import {
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  lexicographicSortSchema,
  printSchema,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectNoErrors, type TestApp } from '../fixtures/index.ts';

const normalized = (s: GraphQLSchema) => printSchema(lexicographicSortSchema(s));

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('schema.graphql', () => {
  it('matches the schema the service serves (run `npm run codegen` after an API change)', async () => {
    const served = buildClientSchema(
      expectNoErrors(await t.graphql<IntrospectionQuery>(getIntrospectionQuery({ specifiedByUrl: true }))),
    );
    const committed = buildSchema(await readFile(new URL('../../schema.graphql', import.meta.url), 'utf8'));
    expect(normalized(committed)).toBe(normalized(served));
  });
});
