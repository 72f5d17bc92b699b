import { deleteAccount, updateName } from '../auth/account-settings.ts';
import { revokeUserSessions, setRole } from '../auth/admin.ts';
import { builder } from './builder.ts';

export const Role = builder.enumType('Role', { values: ['USER', 'ADMIN'] as const });

export const User = builder.prismaObject('User', {
  description: 'An account. The password hash never leaves the server.',
  fields: (t) => ({
    id: t.exposeID('id'),
    email: t.exposeString('email'),
    name: t.exposeString('name', { nullable: true }),
    role: t.expose('role', { type: Role }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
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

builder.mutationFields((t) => ({
  updateMe: t.withAuth({ loggedIn: true }).field({
    type: User,
    description: 'Changes the caller\'s name; null or an empty string removes it, leaving it out changes nothing.',
    args: { name: t.arg.string() },
    resolve: (_root, args, { services, viewer }) => updateName(services, viewer, args.name),
  }),
  deleteMe: t.withAuth({ loggedIn: true }).boolean({
    description: 'Deletes the caller\'s account and every session, once the password is confirmed.',
    args: { password: t.arg.string({ required: true }) },
    resolve: (_root, args, { services, viewer, client }) => deleteAccount(services, viewer, args.password, client),
  }),
  setRole: t.withAuth({ admin: true }).field({
    type: User,
    description: 'ADMIN only. Takes effect on the user\'s next request.',
    args: { userId: t.arg.id({ required: true }), role: t.arg({ type: Role, required: true }) },
    resolve: (_root, args, { services, viewer, client }) =>
      setRole(services, viewer.user.id, String(args.userId), args.role, client),
  }),
  revokeUserSessions: t.withAuth({ admin: true }).boolean({
    description: 'ADMIN only. Ends every session of a user at once.',
    args: { userId: t.arg.id({ required: true }) },
    resolve: (_root, args, { services, viewer, client }) =>
      revokeUserSessions(services, viewer.user.id, String(args.userId), client),
  }),
}));
