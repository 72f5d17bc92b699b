import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { DateTimeResolver, JSONObjectResolver } from 'graphql-scalars';
import { adminSecondFactorRequired, forbidden, unauthenticated } from '../errors.ts';
import type PrismaTypes from '../generated/pothos-types.ts';
import { getDatamodel } from '../generated/pothos-types.ts';
import type { Context, SignedInContext } from './context.ts';
import InputGatePlugin from './input-gate.ts';
import { provedSecondFactor } from '../auth/second-factor/step-up.ts';

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  AuthScopes: {
    /** No Authorization header at all. */
    anonymous: boolean;
    /** A valid access token of a live session. */
    loggedIn: boolean;
    admin: boolean;
  };
  AuthContexts: {
    loggedIn: SignedInContext;
    admin: SignedInContext;
  };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSONObject: { Input: Record<string, unknown>; Output: unknown };
  };
  DefaultFieldNullability: false;
}>({
  // Scope auth first: a caller who may not use a field learns nothing from its arguments.
  plugins: [ScopeAuthPlugin, InputGatePlugin, RelayPlugin, PrismaPlugin],
  relay: { clientMutationId: 'omit', cursorType: 'String', nodeQueryOptions: false, nodesQueryOptions: false },
  defaultFieldNullability: false,
  prisma: {
    client: (ctx) => ctx.services.prisma,
    dmmf: getDatamodel(),
    filterConnectionTotalCount: true,
    onUnusedQuery: null,
  },
  scopeAuth: {
    authScopes: ({ viewer, services }) => ({
      anonymous: viewer.kind === 'anonymous',
      loggedIn: viewer.kind === 'user',
      // With REQUIRE_ADMIN_SECOND_FACTOR=on, an admin is one only in a session that proved a second factor.
      admin:
        viewer.kind === 'user' &&
        viewer.user.role === 'ADMIN' &&
        (provedSecondFactor(viewer) || !services.secondFactors.requireForAdmins),
    }),
    // A refused token says why; no token at all asks for one; a user without the
    // needed role is forbidden.
    unauthorizedError: (_parent, { viewer, services }) =>
      viewer.kind === 'refused'
        ? unauthenticated(viewer.reason)
        : viewer.kind === 'anonymous'
          ? unauthenticated()
          : viewer.user.role === 'ADMIN' && !provedSecondFactor(viewer) && services.secondFactors.requireForAdmins
            ? adminSecondFactorRequired()
            : forbidden(),
  },
});

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('JSONObject', JSONObjectResolver);
builder.queryType({});
builder.mutationType({});
