import { describeDevice } from '../auth/sessions/device.ts';
import { liveSessionFilter } from '../auth/sessions/live-session.ts';
import { logout, logoutAll, revokeOwnSession } from '../auth/sessions/session-control.ts';
import { builder } from './builder.ts';

export const Session = builder.prismaObject('Session', {
  description: 'A signed-in device or browser.',
  fields: (t) => ({
    id: t.exposeID('id'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', {
      type: 'DateTime',
      description: 'When its refresh token was last used (or the login).',
    }),
    userAgent: t.exposeString('userAgent', { nullable: true }),
    device: t.string({
      description: 'The browser and system the user agent names, in words of the service ("Firefox on Windows").',
      resolve: (session) => describeDevice(session.userAgent ?? undefined),
    }),
    current: t.boolean({
      description: 'Whether this is the session of the access token making the request.',
      resolve: (session, _args, { viewer }) => viewer.kind === 'user' && viewer.session.id === session.id,
    }),
  }),
});

builder.queryField('sessions', (t) =>
  t.withAuth({ loggedIn: true }).prismaField({
    type: ['Session'],
    description: "The caller's live sessions, most recently used first.",
    resolve: (query, _root, _args, { services, viewer }) =>
      services.prisma.session.findMany({
        ...query,
        where: { userId: viewer.user.id, ...liveSessionFilter(services.limits, services.clock.now()) },
        orderBy: [{ lastUsedAt: 'desc' }, { id: 'desc' }],
      }),
  }),
);

builder.mutationFields((t) => ({
  logout: t.boolean({
    description: "Ends the session of `refreshToken`, or without it the bearer's own. True when a session ended.",
    args: { refreshToken: t.arg.string() },
    // A refresh token proves possession by itself; without one, a signed-in bearer is needed.
    authScopes: (_root, args) => (args.refreshToken != null ? true : { loggedIn: true }),
    resolve: (_root, args, { services, viewer, client }) => logout(services, viewer, args.refreshToken, client),
  }),
  logoutAll: t.withAuth({ loggedIn: true }).boolean({
    description: 'Ends every session of the caller, this one included.',
    resolve: (_root, _args, { services, viewer, client }) => logoutAll(services, viewer.user.id, client),
  }),
  revokeSession: t.withAuth({ loggedIn: true }).boolean({
    description: "Ends one of the caller's sessions. False when the caller has no live session with this id.",
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, { services, viewer, client }) =>
      revokeOwnSession(services, viewer.user.id, String(args.id), client),
  }),
}));
