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
import { describe, expect } from 'vitest';
import { expectNoErrors, type TestApp } from '../fixtures/index.ts';
import { test as it } from '../fixtures/suite.ts';

const normalized = (s: GraphQLSchema) => printSchema(lexicographicSortSchema(s));

let t: TestApp;
it.beforeAll(({ app }) => {
  t = app;
});

describe('schema.graphql', () => {
  it('matches the schema the service serves (run `npm run codegen` after an API change)', async () => {
    const served = buildClientSchema(
      expectNoErrors(await t.graphql<IntrospectionQuery>(getIntrospectionQuery({ specifiedByUrl: true }))),
    );
    const committed = buildSchema(await readFile(new URL('../../schema.graphql', import.meta.url), 'utf8'));
    expect(normalized(committed)).toBe(normalized(served));
  });
});
