import { isUuid } from '../db/uuid.ts';
import { AuthEventType as AuthEventTypes } from '../generated/prisma/enums.ts';
import { builder } from './builder.ts';
import { isUuidKey, withPageArgChecks } from './page-args.ts';

// The values are the database's own, so a new event type appears here with its migration.
const AuthEventType = builder.enumType(AuthEventTypes, { name: 'AuthEventType' });

builder.prismaObject('AuthEvent', {
  description: 'One entry of the audit trail. Never holds a password or a token.',
  fields: (t) => ({
    id: t.exposeID('id'),
    type: t.expose('type', { type: AuthEventType }),
    userId: t.exposeID('userId', { nullable: true, description: 'The account concerned, when known.' }),
    actorId: t.exposeID('actorId', { nullable: true, description: 'Who acted, when not the user (an admin).' }),
    sessionId: t.exposeID('sessionId', { nullable: true }),
    ip: t.exposeString('ip', { nullable: true }),
    userAgent: t.exposeString('userAgent', { nullable: true }),
    detail: t.field({ type: 'JSONObject', nullable: true, resolve: (event) => event.detail }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryField('authEvents', (t) =>
  withPageArgChecks(
    t.withAuth({ admin: true }).prismaConnection(
      {
        type: 'AuthEvent',
        cursor: 'id',
        description: "ADMIN only. The audit trail, newest first; `userId` keeps one account's events.",
        args: { userId: t.arg.id() },
        totalCount: (_connection, args, { services }) =>
          services.prisma.authEvent.count({ where: eventFilter(args.userId) }),
        resolve: (query, _root, args, { services }) =>
          services.prisma.authEvent.findMany({ ...query, where: eventFilter(args.userId), orderBy: { id: 'desc' } }),
      },
      { description: 'A page of audit events.' },
    ),
    isUuidKey,
  ),
);

// Ids are UUIDv7, so ordering by id is ordering by time. An id that is not a
// UUID names no account: it matches nothing rather than reaching SQL.
function eventFilter(userId: string | number | null | undefined) {
  if (userId == null) return {};
  const id = String(userId);
  return isUuid(id) ? { userId: id } : { id: { in: [] } };
}
