import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { badUserInput, challengeInvalid } from '../../errors.ts';
import { normalizeEmail } from '../../auth/accounts/rules.ts';
import { refuseUnusable } from '../../auth/accounts/usable.ts';
import type { AuthMethod, SignedIn } from '../../auth/sessions/sessions.ts';
import { type ClientInfo, clientKey } from '../../auth/sessions/client.ts';
import { startSession } from '../../auth/sessions/start-session.ts';
import {
  findOpenChallenge,
  spendChallengeAttempt,
  useUpChallenge,
  withAmr,
} from '../../auth/second-factor/challenge.ts';
import { signedAssertion, verifyAssertion } from './ceremony/assertion.ts';
import { passkeyRefused } from './errors.ts';
import { type PasskeyDeps, passkeySettings } from './registration.ts';
import { passkeyDescriptors, requestOptions } from './ceremony/request-options.ts';
import { consumeWebAuthnChallenge, issueWebAuthnChallenge } from './ceremony/challenges.ts';

/**
 * Options for a sign-in with a passkey (`startAuthentication`). Every passkey is
 * discoverable, so the options never list any: the browser offers what it holds
 * for this site. With an email (email-first), the challenge is bound to that
 * account, whose passkeys alone then answer it. Either way the answer is the same
 * for every email: it says nothing about who has an account, or a passkey.
 */
export async function passkeyLoginOptions(
  deps: PasskeyDeps,
  rawEmail: string | null | undefined,
  client: ClientInfo,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const settings = passkeySettings(deps);
  await deps.rateLimits.beforeLoginAttempt(clientKey(client));
  const email = rawEmail == null ? undefined : normalizeEmail(rawEmail);
  const user = email ? await deps.prisma.user.findUnique({ where: { email }, select: { id: true } }) : null;
  const challenge = await issueWebAuthnChallenge(deps.prisma, {
    purpose: 'AUTHENTICATION',
    userId: user?.id ?? null,
    now: deps.clock.now(),
  });
  return requestOptions(settings, challenge, []);
}

/**
 * Signs in with a passkey, no password: the access token carries `amr: [hwk]`,
 * plus `mfa` when the authenticator verified the person (a PIN or biometrics).
 * One answer for every refusal.
 */
export async function loginWithPasskey(deps: PasskeyDeps, response: unknown, client: ClientInfo): Promise<SignedIn> {
  const settings = passkeySettings(deps);
  await deps.rateLimits.beforeLoginAttempt(clientKey(client));
  const { signed, credentialId } = signedAssertion(settings, response);
  const used = await consumeWebAuthnChallenge(deps.prisma, 'AUTHENTICATION', signed.challenge, deps.clock.now());
  const passkey = used && (await deps.prisma.passkey.findUnique({ where: { credentialId } }));
  // Email-first options name their account: a passkey of another is refused.
  if (!used || !passkey || (used.userId && used.userId !== passkey.userId)) throw passkeyRefused();
  const user = await deps.prisma.user.findUniqueOrThrow({ where: { id: passkey.userId } });
  const handle = (response as AuthenticationResponseJSON).response?.userHandle;
  if (handle) {
    const stored = await deps.prisma.passkeyUserHandle.findUnique({ where: { userId: user.id } });
    if (!stored || Buffer.from(stored.handle).toString('base64url') !== handle) throw passkeyRefused();
  }
  const { userVerified } = await verifyAssertion(deps, settings, passkey, response, signed, client);
  await refuseUnusable(deps, user, client);
  const amr: AuthMethod[] = userVerified ? ['hwk', 'mfa'] : ['hwk'];
  return startSession(deps, user, client, amr);
}

/** Options to finish a login's second step with a passkey instead of a code. */
export async function passkeySecondFactorOptions(
  deps: PasskeyDeps,
  challenge: string,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const settings = passkeySettings(deps);
  const login = await findOpenChallenge(deps, challenge, deps.clock.now());
  const passkeys = await passkeyDescriptors(deps.prisma, login.userId);
  if (passkeys.length === 0) throw badUserInput('challenge', 'This account has no passkey: use a code.');
  const webAuthnChallenge = await issueWebAuthnChallenge(deps.prisma, {
    purpose: 'SECOND_FACTOR',
    userId: login.userId,
    loginChallengeId: login.id,
    now: deps.clock.now(),
  });
  return requestOptions(settings, webAuthnChallenge, passkeys);
}

/**
 * Finishes a login answered SECOND_FACTOR_REQUIRED with a passkey's assertion:
 * the access token carries the first step's `amr` and `hwk` (`[pwd, hwk]`). Each try spends one of the login
 * challenge's attempts, as a code does.
 */
export async function verifySecondFactorWithPasskey(
  deps: PasskeyDeps,
  input: { challenge: string; response: unknown },
  client: ClientInfo,
): Promise<SignedIn> {
  const settings = passkeySettings(deps);
  const now = deps.clock.now();
  const spent = await spendChallengeAttempt(deps, input.challenge, now);
  const { signed, credentialId } = signedAssertion(settings, input.response);
  const used = await consumeWebAuthnChallenge(deps.prisma, 'SECOND_FACTOR', signed.challenge, now);
  const passkey = used && (await deps.prisma.passkey.findUnique({ where: { credentialId } }));
  if (!used || used.loginChallengeId !== spent.id || !passkey || passkey.userId !== spent.userId)
    throw passkeyRefused();
  await verifyAssertion(deps, settings, passkey, input.response, signed, client);
  await useUpChallenge(deps, spent.id, now);
  const user = await deps.prisma.user.findUniqueOrThrow({ where: { id: spent.userId } });
  if (user.disabledAt || user.passwordResetRequiredAt) throw challengeInvalid();
  return startSession(deps, user, client, withAmr(spent.amr, ['hwk']));
}
