import { deleteAccount, updateName } from '../auth/accounts/settings.ts';
import { revokeUserSessions, setRole, setUserDisabled } from '../auth/accounts/admin.ts';
import type { SignInMethod } from '../auth/method.ts';
import { enrolledSelect, offersOf, secondFactorOffers } from '../auth/second-factor/factors.ts';
import { builder } from './builder.ts';
import { isUuidKey, withPageArgChecks } from './page-args.ts';

/** Whether a user row came with the columns `enrolledSelect` selects (a list's rows do; `me`'s does not). */
const hasEnrolledColumns = (methods: readonly SignInMethod[], user: object) =>
  Object.keys(enrolledSelect(methods)).every((key) => key in user);

export const Role = builder.enumType('Role', { values: ['USER', 'ADMIN'] as const });

export const User = builder.prismaObject('User', {
  description: 'An account. The password hash never leaves the server.',
  fields: (t) => ({
    id: t.exposeID('id'),
    email: t.exposeString('email'),
    name: t.exposeString('name', { nullable: true }),
    role: t.expose('role', { type: Role }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    emailVerified: t.boolean({
      description: 'Whether the owner followed a link mailed to this address.',
      resolve: (user) => user.emailVerifiedAt !== null,
    }),
    secondFactor: t.boolean({
      description: 'Whether signing in takes a second factor, of any kind the account has set up.',
      // Loaded with the users of a list; `me`'s user comes from the session lookup, which knows it.
      select: (_args, { services }) => enrolledSelect(services.methods),
      resolve: async (user, _args, { viewer, services }) => {
        if (hasEnrolledColumns(services.methods, user)) return offersOf(services.methods, user).length > 0;
        if (viewer.kind === 'user' && viewer.user.id === user.id) return viewer.secondFactor;
        return (await secondFactorOffers(services, user.id)).length > 0;
      },
    }),
    disabled: t.boolean({
      description: 'ADMIN only. Whether an admin has disabled the account.',
      authScopes: { admin: true },
      resolve: (user) => user.disabledAt !== null,
    }),
  }),
});

builder.queryField('me', (t) =>
  t.prismaField({
    type: 'User',
    nullable: true,
    description: 'The signed-in user; null when no Authorization header is sent.',
    // A token that was sent and refused is an error (with its reason), not null.
    authScopes: { $any: { anonymous: true, loggedIn: true } },
    // The context already loaded the user with the session, in one round trip.
    resolve: (_query, _root, _args, { viewer }) => (viewer.kind === 'user' ? viewer.user : null),
  }),
);

// A page of at most 100 users (a larger `first` is cut to 100), 20 when `first`
// is left out. Ids are UUIDv7, so ordering by id is ordering by sign-up time, and
// unique, so every user appears on exactly one page.
builder.queryField('users', (t) =>
  withPageArgChecks(
    t.withAuth({ admin: true }).prismaConnection(
      {
        type: 'User',
        cursor: 'id',
        description:
          'ADMIN only. Every account, oldest first; 20 a page unless `first` asks for another size, at most 100.',
        totalCount: (_connection, _args, { services }) => services.prisma.user.count(),
        resolve: (query, _root, _args, { services }) =>
          services.prisma.user.findMany({ ...query, orderBy: { id: 'asc' } }),
      },
      { name: 'UserConnection', description: 'A page of users.' },
      { name: 'UserEdge' },
    ),
    isUuidKey,
  ),
);

builder.mutationFields((t) => ({
  updateMe: t.withAuth({ loggedIn: true }).field({
    type: User,
    description: "Changes the caller's name; null or an empty string removes it, leaving it out changes nothing.",
    args: { name: t.arg.string() },
    resolve: (_root, args, { services, viewer }) => updateName(services, viewer, args.name),
  }),
  deleteMe: t.withAuth({ loggedIn: true }).boolean({
    description: "Deletes the caller's account and every session, once the password is confirmed.",
    args: {
      password: t.arg.string({ required: true }),
      code: t.arg.string({
        description: 'A second-factor code, for an account with one whose session did not prove it lately (step-up).',
      }),
    },
    resolve: (_root, args, { services, viewer, client }) => deleteAccount(services, viewer, args, client),
  }),
  setRole: t.withAuth({ admin: true }).field({
    type: User,
    description: "ADMIN only. Takes effect on the user's next request.",
    args: { userId: t.arg.id({ required: true }), role: t.arg({ type: Role, required: true }) },
    resolve: (_root, args, { services, viewer, client }) =>
      setRole(services, viewer.user.id, String(args.userId), args.role, client),
  }),
  setUserDisabled: t.withAuth({ admin: true }).field({
    type: User,
    description:
      'ADMIN only. Disabling ends every session at once; the account can neither sign in nor refresh until enabled again.',
    args: { userId: t.arg.id({ required: true }), disabled: t.arg.boolean({ required: true }) },
    resolve: (_root, args, { services, viewer, client }) =>
      setUserDisabled(services, viewer.user.id, String(args.userId), args.disabled, client),
  }),
  revokeUserSessions: t.withAuth({ admin: true }).boolean({
    description: 'ADMIN only. Ends every session of a user at once.',
    args: { userId: t.arg.id({ required: true }) },
    resolve: async (_root, args, { services, viewer, client }) => {
      await revokeUserSessions(services, viewer.user.id, String(args.userId), client);
      return true;
    },
  }),
}));
