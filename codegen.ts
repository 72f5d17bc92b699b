import type { CodegenConfig } from '@graphql-codegen/cli';

// `npm run codegen` prints the schema built by Pothos to schema.graphql, which is
// committed so that every API change shows up in review.
const config: CodegenConfig = {
  schema: './src/schema/index.ts',
  generates: {
    'schema.graphql': {
      plugins: ['schema-ast'],
      config: { includeDirectives: false, commentDescriptions: false, sort: true },
    },
  },
};

export default config;
