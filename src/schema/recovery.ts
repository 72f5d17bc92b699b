import { confirmEmailChange, requestEmailChange } from '../auth/recovery/email-change.ts';
import { sendVerificationEmail, verifyEmail } from '../auth/recovery/email-verification.ts';
import { requestPasswordReset, resetPassword } from '../auth/recovery/password-reset.ts';
import { secureAccount } from '../auth/recovery/secure-account.ts';
import { builder } from './builder.ts';
import { User } from './user.ts';

const TOKEN =
  "The token of the mail's link; or, with `email`, the code the mail shows (eight digits; spaces and dashes are ignored).";
const EMAIL =
  'With the code in `token`: the address the mail went to. A token takes five codes, right or wrong; its link still works after.';

// Password reset, email verification and email change: each link a mail
// carries points at the client application, which calls the mutation here.
// Beside the link, the mail holds a code for a person reading it on another device.
builder.mutationFields((t) => ({
  requestPasswordReset: t.boolean({
    description:
      'Mails a password reset link if an account has this email. Always true for a well-formed email, in the same time: the answer says nothing about who has an account.',
    args: { email: t.arg.string({ required: true }) },
    resolve: (_root, args, { services, client }) => requestPasswordReset(services, args.email, client),
  }),
  resetPassword: t.boolean({
    description:
      'Sets a new password with the token of a reset link, and ends every session of the account. Signs nobody in. An account with a second factor needs it too: `code`, or (for a factor without codes) the bearer token of a session of the account that proved it in the last STEP_UP_MAX_AGE.',
    args: {
      token: t.arg.string({ required: true, description: TOKEN }),
      email: t.arg.string({ description: EMAIL }),
      newPassword: t.arg.string({ required: true }),
      code: t.arg.string(),
    },
    resolve: (_root, args, { services, client, viewer }) => resetPassword(services, args, client, viewer),
  }),
  sendVerificationEmail: t.withAuth({ loggedIn: true }).boolean({
    description: "Mails a new verification link for the caller's address. False when it is verified already.",
    resolve: (_root, _args, { services, viewer, client }) => sendVerificationEmail(services, viewer, client),
  }),
  verifyEmail: t.boolean({
    description: 'Marks an address verified with the token of a verification link, or the code of its mail.',
    args: { token: t.arg.string({ required: true, description: TOKEN }), email: t.arg.string({ description: EMAIL }) },
    resolve: (_root, args, { services, client }) => verifyEmail(services, args, client),
  }),
  requestEmailChange: t.withAuth({ loggedIn: true }).boolean({
    description:
      'Mails a confirmation link to the new address (and a notice to the current one), once the password is confirmed. Nothing changes until `confirmEmailChange`.',
    args: {
      newEmail: t.arg.string({ required: true }),
      password: t.arg.string({ required: true }),
      code: t.arg.string({
        description: 'A second-factor code, for an account with one whose session did not prove it lately (step-up).',
      }),
    },
    resolve: (_root, args, { services, viewer, client }) => requestEmailChange(services, viewer, args, client),
  }),
  secureAccount: t.boolean({
    description:
      'The "it was not me" link of a notice (a new sign-in, a new second factor, a changed password or address): ends every session of the account at once, undoes what was changed since (second factors added, an address changed, an email change waiting), and locks the password (login answers FORBIDDEN, PASSWORD_RESET_REQUIRED) until a new one is set; a reset link is mailed.',
    args: {
      token: t.arg.string({ required: true, description: TOKEN }),
      email: t.arg.string({ description: EMAIL }),
      password: t.arg.string({
        description:
          'The password the account had when the mail was sent. Needed when a second factor was added since (BAD_USER_INPUT on `password` without it): neither the mail alone nor the password alone removes one.',
      }),
    },
    resolve: (_root, args, { services, client }) => secureAccount(services, args, client),
  }),
  confirmEmailChange: t.field({
    type: User,
    description:
      'Makes the address a confirmation link was sent to the account’s, verified. EMAIL_TAKEN if another account has it by now.',
    args: { token: t.arg.string({ required: true, description: TOKEN }), email: t.arg.string({ description: EMAIL }) },
    resolve: (_root, args, { services, client }) => confirmEmailChange(services, args, client),
  }),
}));
