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
