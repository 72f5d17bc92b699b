import type { CodegenConfig } from '@graphql-codegen/cli';

// `npm run codegen` prints the schema built by Pothos to schema.graphql and writes
// typed documents for the operations in the tests and the client examples. All of
// it is committed, so every API change shows up in review; a test fails when any
// of it is stale.
const schema = './src/schema.ts';

// Client preset: a `graphql()` function that returns a TypedDocumentNode for each
// operation written inside it. Scalars as they travel in JSON.
const typedDocuments = (documents: string[]) => ({
  preset: 'client' as const,
  documents,
  presetConfig: { fragmentMasking: false },
  config: {
    useTypeImports: true,
    enumsAsTypes: true,
    skipTypename: true,
    scalars: { DateTime: 'string', JSONObject: 'Record<string, unknown>' },
  },
});

const config: CodegenConfig = {
  schema,
  importExtension: '.ts',
  ignoreNoDocuments: true,
  generates: {
    'schema.graphql': {
      plugins: ['schema-ast'],
      config: { includeDirectives: false, commentDescriptions: false, sort: true },
    },
    'test/generated/': typedDocuments(['test/**/*.ts', '!test/generated/**']),
    'examples/generated/': typedDocuments(['examples/**/*.ts', '!examples/generated/**']),
  },
};

export default config;
