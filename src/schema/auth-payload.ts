import { login, signUp, type SignedIn } from '../auth/accounts.ts';
import { builder } from './builder.ts';
import { User } from './user.ts';

export const AuthPayload = builder.objectRef<SignedIn>('AuthPayload').implement({
  description: 'A new session: its tokens and its user.',
  fields: (t) => ({
    accessToken: t.exposeString('accessToken', { description: 'A JWT to send as `Authorization: Bearer <accessToken>`.' }),
    tokenType: t.exposeString('tokenType', { description: 'Always "Bearer".' }),
    expiresIn: t.exposeInt('expiresIn', { description: 'Seconds until the access token expires.' }),
    refreshToken: t.exposeString('refreshToken', { description: 'Opaque and single-use: exchange it with `refresh` for a new pair.' }),
    user: t.field({ type: User, resolve: (payload) => payload.user }),
  }),
});

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
}));
