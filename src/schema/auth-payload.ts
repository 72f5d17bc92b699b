import { login, signUp } from '../auth/accounts/sign-in.ts';
import { changePassword } from '../auth/accounts/settings.ts';
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

// signUp, login and refresh ignore the Authorization header: a stale token must
// never stand between a user and signing in.
builder.mutationFields((t) => ({
  signUp: t.field({
    type: AuthPayload,
    description: 'Creates an account and signs it in.',
    args: {
      email: t.arg.string({ required: true }),
      password: t.arg.string({ required: true }),
      name: t.arg.string(),
    },
    resolve: (_root, args, { services, client }) => signUp(services, args, client),
  }),
  login: t.field({
    type: AuthPayload,
    description: 'Signs in with email and password, starting a new session.',
    args: {
      email: t.arg.string({ required: true }),
      password: t.arg.string({ required: true }),
    },
    resolve: (_root, args, { services, client }) => login(services, args, client),
  }),
  refresh: t.field({
    type: AuthPayload,
    description: 'Exchanges a refresh token for a new pair on the same session. Each refresh token works once.',
    args: { refreshToken: t.arg.string({ required: true }) },
    resolve: (_root, args, { services, client }) => refresh(services, args.refreshToken, client),
  }),
  changePassword: t.withAuth({ loggedIn: true }).field({
    type: AuthPayload,
    description: 'Sets a new password. Every other session ends; this one continues with the new pair returned.',
    args: {
      currentPassword: t.arg.string({ required: true }),
      newPassword: t.arg.string({ required: true }),
      code: t.arg.string({
        description: 'A second-factor code, for an account with one whose session did not prove it lately (step-up).',
      }),
    },
    resolve: (_root, args, { services, viewer, client }) => changePassword(services, viewer, args, client),
  }),
}));
