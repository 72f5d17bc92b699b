import {
  loginWithPasskey,
  passkeyLoginOptions,
  passkeySecondFactorOptions,
  verifySecondFactorWithPasskey,
} from './sign-in.ts';
import { removePasskey, renamePasskey } from './management.ts';
import { passkeyRegistrationOptions, registerPasskey } from './registration.ts';
import { passkeyStepUpOptions, stepUpWithPasskey } from './step-up.ts';
import { AuthPayload } from '../../schema/auth-payload.ts';
import { builder } from '../../schema/builder.ts';

// The WebAuthn ceremony over GraphQL: options out as JSON (what
// @simplewebauthn/browser's startRegistration and startAuthentication take),
// the browser's response back as JSON. A response carries base64url fields of a
// few kilobytes: its strings may be longer than the usual argument.
const WEBAUTHN_RESPONSE = { maxStringLength: 16_384 };

export const Passkey = builder.prismaObject('Passkey', {
  description: 'A passkey: signs in without a password, and counts as a second factor.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
    transports: t.exposeStringList('transports', {
      description: 'How the authenticator was reached (internal, usb, hybrid, …).',
    }),
    synced: t.boolean({
      description: 'Whether the passkey is kept in a synced store (a multi-device passkey).',
      resolve: (passkey) => passkey.deviceType === 'multiDevice',
    }),
    backedUp: t.exposeBoolean('backedUp'),
  }),
});

builder.queryField('passkeys', (t) =>
  t.withAuth({ loggedIn: true }).prismaField({
    type: ['Passkey'],
    description: "The caller's passkeys, newest first.",
    resolve: (query, _root, _args, { services, viewer }) =>
      services.prisma.passkey.findMany({ ...query, where: { userId: viewer.user.id }, orderBy: { id: 'desc' } }),
  }),
);

builder.mutationFields((t) => ({
  passkeyRegistrationOptions: t.withAuth({ loggedIn: true }).field({
    type: 'JSONObject',
    description:
      'Options for startRegistration (navigator.credentials.create), good for five minutes. As for any new second factor: a verified address (FORBIDDEN, EMAIL_NOT_VERIFIED otherwise), the password, and for an account with a second factor a recent one, or `code`.',
    args: {
      password: t.arg.string({ required: true }),
      code: t.arg.string({
        description: 'A second-factor code, for an account with one whose session did not prove it lately (step-up).',
      }),
    },
    resolve: async (_root, args, { services, viewer, client }) =>
      passkeyRegistrationOptions(services, viewer, args, client) as unknown as Record<string, unknown>,
  }),
  registerPasskey: t.withAuth({ loggedIn: true }).field({
    type: Passkey,
    description: "Stores the passkey made with those options, from the browser's response.",
    extensions: WEBAUTHN_RESPONSE,
    args: { response: t.arg({ type: 'JSONObject', required: true }), name: t.arg.string() },
    resolve: (_root, args, { services, viewer, client }) => registerPasskey(services, viewer, args, client),
  }),
  renamePasskey: t.withAuth({ loggedIn: true }).field({
    type: Passkey,
    args: { id: t.arg.id({ required: true }), name: t.arg.string({ required: true }) },
    resolve: (_root, args, { services, viewer, client }) =>
      renamePasskey(services, viewer, { id: String(args.id), name: args.name }, client),
  }),
  removePasskey: t.withAuth({ loggedIn: true }).boolean({
    description: 'Removes one of the caller’s passkeys. For an account with a second factor: a recent one, or `code`.',
    args: { id: t.arg.id({ required: true }), code: t.arg.string() },
    resolve: (_root, args, { services, viewer, client }) =>
      removePasskey(services, viewer, { id: String(args.id), code: args.code }, client),
  }),
  passkeyStepUpOptions: t.withAuth({ loggedIn: true }).field({
    type: 'JSONObject',
    description: 'Options to confirm a change answered STEP_UP_REQUIRED (methods include PASSKEY) with a passkey.',
    resolve: async (_root, _args, { services, viewer }) =>
      passkeyStepUpOptions(services, viewer) as unknown as Record<string, unknown>,
  }),
  stepUpWithPasskey: t.withAuth({ loggedIn: true }).boolean({
    description:
      "Makes this session's second factor recent, from the browser's response to those options; then send the change again.",
    extensions: WEBAUTHN_RESPONSE,
    args: { response: t.arg({ type: 'JSONObject', required: true }) },
    resolve: (_root, args, { services, viewer, client }) => stepUpWithPasskey(services, viewer, args.response, client),
  }),
  passkeyLoginOptions: t.field({
    type: 'JSONObject',
    description:
      'Options for startAuthentication: the browser offers the passkeys it holds for this site; with `email`, only that account’s answer them. The same for every email: it tells nobody who has an account or a passkey.',
    args: { email: t.arg.string() },
    resolve: async (_root, args, { services, client }) =>
      passkeyLoginOptions(services, args.email, client) as unknown as Record<string, unknown>,
  }),
  loginWithPasskey: t.field({
    type: AuthPayload,
    description: "Signs in with a passkey, no password: the browser's response to those options.",
    extensions: WEBAUTHN_RESPONSE,
    args: { response: t.arg({ type: 'JSONObject', required: true }) },
    resolve: (_root, args, { services, client }) => loginWithPasskey(services, args.response, client),
  }),
  passkeySecondFactorOptions: t.field({
    type: 'JSONObject',
    description: 'Options to finish a login answered SECOND_FACTOR_REQUIRED (methods include PASSKEY) with a passkey.',
    args: { challenge: t.arg.string({ required: true }) },
    resolve: async (_root, args, { services }) =>
      passkeySecondFactorOptions(services, args.challenge) as unknown as Record<string, unknown>,
  }),
  verifySecondFactorWithPasskey: t.field({
    type: AuthPayload,
    description: "Finishes that login with the browser's response to those options.",
    extensions: WEBAUTHN_RESPONSE,
    args: { challenge: t.arg.string({ required: true }), response: t.arg({ type: 'JSONObject', required: true }) },
    resolve: (_root, args, { services, client }) => verifySecondFactorWithPasskey(services, args, client),
  }),
}));
