import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../../config/config.ts';

/**
 * Limits on what one document may ask for (aliases, depth, tokens, directives,
 * cost), checked before anything runs; "did you mean" suggestions only where
 * introspection is on anyway.
 */
export function graphqlHardening(config: Config): Plugin[] {
  const { graphql, http } = config;
  return [
    EnvelopArmorPlugin({
      maxAliases: { n: graphql.maxAliases },
      maxDepth: { n: graphql.maxDepth, flattenFragments: true },
      maxTokens: { n: graphql.maxTokens },
      maxDirectives: { n: graphql.maxDirectives },
      costLimit: { maxCost: graphql.maxCost },
      blockFieldSuggestion: { enabled: !http.introspection },
    }) as Plugin,
    // No CSRF prevention: credentials travel only in the Authorization header, which
    // a cross-site request cannot carry without a CORS preflight that names the
    // origin, so a forged request acts as nobody. It would also refuse the GET
    // queries urql and curl send by default. A cookie mode, if one is ever added,
    // must bring it back (@graphql-yoga/plugin-csrf-prevention).
  ];
}
