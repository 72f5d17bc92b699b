import { createHash, randomBytes } from 'node:crypto';
import type { PrismaClient, WebAuthnChallengePurpose } from '../../../generated/prisma/client.ts';
import type { PasskeySettings } from '../settings.ts';

/** How long passkey options may take to come back signed. */
export const WEBAUTHN_CHALLENGE_TTL_SECONDS = 5 * 60;

const hash = (challenge: string) => new Uint8Array(createHash('sha256').update(challenge, 'utf8').digest());

/**
 * A new challenge for passkey options (as bytes: the options carry them in
 * base64url, which is what comes back signed), kept as a hash: bound to its purpose,
 * its user (none for a discoverable sign-in), as a second factor to the login
 * challenge it completes, and as a step-up to its session.
 */
export async function issueWebAuthnChallenge(
  prisma: Pick<PrismaClient, 'webAuthnChallenge'>,
  input: {
    purpose: WebAuthnChallengePurpose;
    userId: string | null;
    loginChallengeId?: string;
    sessionId?: string;
    now: Date;
  },
): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = new Uint8Array(randomBytes(32));
  const challenge = Buffer.from(bytes).toString('base64url');
  await prisma.webAuthnChallenge.create({
    data: {
      purpose: input.purpose,
      challengeHash: hash(challenge),
      userId: input.userId,
      loginChallengeId: input.loginChallengeId ?? null,
      sessionId: input.sessionId ?? null,
      createdAt: input.now,
      expiresAt: new Date(input.now.getTime() + WEBAUTHN_CHALLENGE_TTL_SECONDS * 1000),
    },
  });
  return bytes;
}

/** What a browser signed, from a registration or authentication response: its challenge, origin and type. */
export function clientDataOf(response: unknown): { challenge: string; origin: string; type: string } | undefined {
  const encoded = (response as { response?: { clientDataJSON?: unknown } } | null)?.response?.clientDataJSON;
  if (typeof encoded !== 'string' || encoded.length > 4096) return undefined;
  try {
    const data = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as Record<string, unknown>;
    const { challenge, origin, type } = data;
    if (typeof challenge !== 'string' || typeof origin !== 'string' || typeof type !== 'string') return undefined;
    return { challenge, origin, type };
  } catch {
    return undefined;
  }
}

/**
 * Uses the challenge up (one conditional UPDATE: single use, whatever arrives at
 * once) if it was issued for `purpose` and has not expired. Null otherwise.
 */
export async function consumeWebAuthnChallenge(
  prisma: Pick<PrismaClient, 'webAuthnChallenge'>,
  purpose: WebAuthnChallengePurpose,
  challenge: string,
  now: Date,
) {
  const [used] = await prisma.webAuthnChallenge.updateManyAndReturn({
    where: { challengeHash: hash(challenge), purpose, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
    select: { userId: true, loginChallengeId: true, sessionId: true },
  });
  return used ?? null;
}

/** Whether a page on `origin` may use this relying party's passkeys. */
export function originAllowed(settings: PasskeySettings, origin: string): boolean {
  if (settings.origins.includes(origin)) return true;
  if (!settings.anyLocalhostPort) return false;
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' && url.hostname === 'localhost' && url.origin === origin;
  } catch {
    return false;
  }
}

/** Deletes challenges expired more than a day before `now`; returns how many. */
export async function pruneWebAuthnChallenges(
  prisma: Pick<PrismaClient, 'webAuthnChallenge'>,
  now: Date,
): Promise<number> {
  const { count } = await prisma.webAuthnChallenge.deleteMany({
    where: { expiresAt: { lt: new Date(now.getTime() - 86400 * 1000) } },
  });
  return count;
}
