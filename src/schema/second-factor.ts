import { resetSecondFactor } from '../auth/second-factor/admin-reset.ts';
import { verifySecondFactor } from '../auth/second-factor/challenge.ts';
import { AuthPayload } from './auth-payload.ts';
import { builder } from './builder.ts';
import { User } from './user.ts';

// The second step of a login and an admin's reset: the same for every second
// factor, so they belong to no method.

builder.mutationFields((t) => ({
  verifySecondFactor: t.field({
    type: AuthPayload,
    description:
      'Finishes a login answered SECOND_FACTOR_REQUIRED: its `extensions.challenge` and a code from the authenticator app, or a recovery code.',
    args: { challenge: t.arg.string({ required: true }), code: t.arg.string({ required: true }) },
    resolve: (_root, args, { services, client }) => verifySecondFactor(services, args, client),
  }),
  resetSecondFactor: t.withAuth({ admin: true }).field({
    type: User,
    description:
      'ADMIN only. Removes a user’s second factors (a lost phone and lost recovery codes): the account signs in with its password alone until it sets one up again.',
    args: { userId: t.arg.id({ required: true }) },
    resolve: (_root, args, { services, viewer, client }) =>
      resetSecondFactor(services, viewer.user.id, String(args.userId), client),
  }),
}));
