import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.ts';

/**
 * Limits on what one document may ask for (aliases, depth, tokens, directives,
 * cost), checked before anything runs; "did you mean" suggestions only where
 * introspection is on anyway; and Yoga's CSRF prevention, which refuses the
 * "simple" requests a browser sends cross-site without a preflight.
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
    useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf', 'apollo-require-preflight'] }),
  ];
}
