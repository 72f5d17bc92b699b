import { confirmTotp, disableTotp, regenerateRecoveryCodes, setUpTotp, type TotpSetup } from './enrolment.ts';
import { builder } from '../../schema/builder.ts';

const TotpSetupType = builder.objectRef<TotpSetup>('TotpSetup').implement({
  description: 'A new authenticator-app secret, not active until `confirmTotp`.',
  fields: (t) => ({
    secret: t.exposeString('secret', { description: 'The secret in base32, to type into the app.' }),
    otpauthUri: t.exposeString('otpauthUri', { description: 'The same as an otpauth:// URI, to show as a QR code.' }),
  }),
});

builder.mutationFields((t) => ({
  setUpTotp: t.withAuth({ loggedIn: true }).field({
    type: TotpSetupType,
    description:
      'Starts setting up an authenticator app (TOTP), once the password is confirmed. Nothing changes until `confirmTotp` with a first code from the app.',
    args: { password: t.arg.string({ required: true }) },
    resolve: (_root, args, { services, viewer, client }) => setUpTotp(services, viewer, args.password, client),
  }),
  confirmTotp: t.withAuth({ loggedIn: true }).stringList({
    description: 'Turns the authenticator app on with a code from it. Returns ten recovery codes, shown this once.',
    args: { code: t.arg.string({ required: true }) },
    resolve: (_root, args, { services, viewer, client }) => confirmTotp(services, viewer, args.code, client),
  }),
  disableTotp: t.withAuth({ loggedIn: true }).boolean({
    description: 'Turns the authenticator app off, with the password and a code (the app’s or a recovery code).',
    args: { password: t.arg.string({ required: true }), code: t.arg.string({ required: true }) },
    resolve: (_root, args, { services, viewer, client }) => disableTotp(services, viewer, args, client),
  }),
  regenerateRecoveryCodes: t.withAuth({ loggedIn: true }).stringList({
    description: 'Ten new recovery codes, shown this once; the old ones stop working. Takes a code.',
    args: { code: t.arg.string({ required: true }) },
    resolve: (_root, args, { services, viewer, client }) =>
      regenerateRecoveryCodes(services, viewer, args.code, client),
  }),
}));
