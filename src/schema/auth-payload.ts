import { refresh } from '../auth/sessions/refresh.ts';
import type { SignedIn } from '../auth/sessions/sessions.ts';
import { builder } from './builder.ts';
import { User } from './user.ts';

export const AuthPayload = builder.objectRef<SignedIn>('AuthPayload').implement({
  description: "A session's tokens and its user.",
  fields: (t) => ({
    accessToken: t.exposeString('accessToken', {
      description: 'A JWT to send as `Authorization: Bearer <accessToken>`.',
    }),
    tokenType: t.exposeString('tokenType', { description: 'Always "Bearer".' }),
    expiresIn: t.exposeInt('expiresIn', { description: 'Seconds until the access token expires.' }),
    refreshToken: t.exposeString('refreshToken', {
      description: 'Opaque and single-use: exchange it with `refresh` for a new pair.',
    }),
    user: t.field({ type: User, resolve: (payload) => payload.user }),
  }),
});

// refresh ignores the Authorization header: a stale token must never stand
// between a user and signing in.
builder.mutationFields((t) => ({
  refresh: t.field({
    type: AuthPayload,
    description: 'Exchanges a refresh token for a new pair on the same session. Each refresh token works once.',
    args: { refreshToken: t.arg.string({ required: true }) },
    resolve: (_root, args, { services, client }) => refresh(services, args.refreshToken, client),
  }),
}));
