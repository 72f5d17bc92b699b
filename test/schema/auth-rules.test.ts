import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import type { GraphQLField, GraphQLObjectType, GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { getDatamodel } from '../../src/generated/pothos-types.ts';
import { schema } from '../../src/schema.ts';

// Every root field says who may call it, through scope-auth (`authScopes`, or
// `t.withAuth`, which sets the same option). A field that says nothing is open
// to anyone, so it has to be named here on purpose: signing in ignores any
// Authorization header (a stale token must never stand in the way), and so does
// following a mailed link, which the token in it authorizes.
const OPEN_FIELDS = [
  'Mutation.signUp',
  'Mutation.login',
  'Mutation.refresh',
  'Mutation.requestPasswordReset',
  'Mutation.resetPassword',
  'Mutation.verifyEmail',
  'Mutation.confirmEmailChange',
  'Mutation.secureAccount',
  'Mutation.verifySecondFactor',
  'Mutation.passkeyLoginOptions',
  'Mutation.loginWithPasskey',
  'Mutation.passkeySecondFactorOptions',
  'Mutation.verifySecondFactorWithPasskey',
];

/**
 * The scopes scope-auth enforces on a root field: its own, or its root type's
 * (which scope-auth also runs for each of that type's fields). Pothos keeps the
 * options a field or type was built with in `extensions.pothosOptions`.
 */
function declaredScopes(type: GraphQLObjectType, field: GraphQLField<unknown, unknown>): unknown {
  const options = (extensions: Record<string, unknown>) =>
    extensions.pothosOptions as { authScopes?: unknown } | undefined;
  return options(field.extensions)?.authScopes ?? options(type.extensions)?.authScopes;
}

const isDeclared = (scopes: unknown) => typeof scopes === 'function' || (typeof scopes === 'object' && scopes !== null);

function rootFields(built: GraphQLSchema) {
  const types = [built.getQueryType(), built.getMutationType(), built.getSubscriptionType()].filter(
    (type) => type != null,
  );
  return types.flatMap((type) =>
    Object.values(type.getFields()).map((field) => ({ type, field, name: `${type.name}.${field.name}` })),
  );
}

/** The root fields that declare no auth requirement and are not on the allowlist. */
function undeclared(built: GraphQLSchema, allowed: readonly string[]): string[] {
  return rootFields(built)
    .filter(({ type, field, name }) => !allowed.includes(name) && !isDeclared(declaredScopes(type, field)))
    .map(({ name }) => name);
}

describe('auth rules of the schema', () => {
  it('has every root field declare who may call it, except the named open ones', () => {
    expect(undeclared(schema, OPEN_FIELDS)).toEqual([]);
  });

  it('names only open fields that exist and really declare nothing', () => {
    const fields = new Map(rootFields(schema).map((entry) => [entry.name, entry]));
    for (const name of OPEN_FIELDS) {
      const entry = fields.get(name);
      expect(entry, `${name} is on the allowlist but not in the schema`).toBeDefined();
      expect(
        isDeclared(declaredScopes(entry!.type, entry!.field)),
        `${name} declares scopes: take it off the allowlist`,
      ).toBe(false);
    }
  });

  it('has checked something: the schema has root fields with declared scopes', () => {
    const declared = rootFields(schema).filter(({ type, field }) => isDeclared(declaredScopes(type, field)));
    expect(declared.length).toBeGreaterThanOrEqual(10);
    expect(declared.map((entry) => entry.name)).toEqual(
      expect.arrayContaining(['Query.me', 'Query.users', 'Mutation.setRole']),
    );
  });

  it('flags a root field built without scopes, and passes one built with them', () => {
    // The plugins of the real builder; no field here reaches the database.
    const builder = new SchemaBuilder<{ AuthScopes: { admin: boolean } }>({
      plugins: [ScopeAuthPlugin, RelayPlugin, PrismaPlugin],
      prisma: {
        client: () => {
          throw new Error('this schema has no database');
        },
        dmmf: getDatamodel(),
      },
      scopeAuth: { authScopes: () => ({ admin: false }) },
    });
    builder.queryType({
      fields: (t) => ({
        guarded: t.withAuth({ admin: true }).string({ resolve: () => 'secret' }),
        viaOption: t.string({ authScopes: { admin: true }, resolve: () => 'secret' }),
        viaFunction: t.string({ authScopes: () => ({ admin: true }), resolve: () => 'secret' }),
        forgotten: t.string({ resolve: () => 'secret' }),
        open: t.string({ resolve: () => 'hello' }),
      }),
    });
    builder.mutationType({
      fields: (t) => ({ alsoForgotten: t.boolean({ resolve: () => true }) }),
    });
    expect(undeclared(builder.toSchema(), ['Query.open'])).toEqual(['Query.forgotten', 'Mutation.alsoForgotten']);
  });
});
