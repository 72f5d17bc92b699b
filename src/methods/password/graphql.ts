import { AuthPayload } from '../../schema/auth-payload.ts';
import { builder } from '../../schema/builder.ts';
import { changePassword } from './change-password.ts';
import { login } from './login.ts';
import { signUp } from './sign-up.ts';

// signUp and login ignore the Authorization header: a stale token must never
// stand between a user and signing in.
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
