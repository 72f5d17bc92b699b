import { challengeInvalid, secondFactorRequired, type SecondFactorMethod } from '../../errors.ts';
import type { User } from '../../generated/prisma/client.ts';
import { hashOpaqueToken, newOpaqueToken } from '../../crypto/opaque-tokens.ts';
import type { AuthMethod, SignedIn } from '../sessions/sessions.ts';
import { type ClientInfo, storedUserAgent } from '../sessions/client.ts';
import { startSession } from '../sessions/start-session.ts';
import { checkSecondFactorCode } from './codes.ts';
import type { FactorDeps } from './deps.ts';
import { promptFor } from './factors.ts';

/** How long a login challenge lasts, and how many codes it takes. */
export const CHALLENGE_TTL_SECONDS = 5 * 60;
export const CHALLENGE_ATTEMPTS = 5;
const MAX_CHALLENGE_LENGTH = 64;

/**
 * A first step (the right password) of an account with a second factor signs
 * nobody in yet: it is answered SECOND_FACTOR_REQUIRED with a challenge, which a
 * second factor then finishes (`verifySecondFactor` with a code). The challenge
 * is opaque (no JWT: it is never taken for an access token), stored as a hash,
 * good for one success, a few tries and a few minutes, and keeps the `amr` of the
 * first step for the session it makes.
 */
export async function challengeLogin(
  deps: FactorDeps,
  user: User,
  offers: SecondFactorMethod[],
  client: ClientInfo,
  amr: readonly AuthMethod[],
): Promise<never> {
  const { token, hash } = newOpaqueToken();
  const now = deps.clock.now();
  await deps.prisma.loginChallenge.create({
    data: {
      userId: user.id,
      tokenHash: hash,
      createdAt: now,
      expiresAt: new Date(now.getTime() + CHALLENGE_TTL_SECONDS * 1000),
      userAgent: storedUserAgent(client),
      ip: client.ip ?? null,
      amr: [...amr],
    },
  });
  await deps.audit.record({ type: 'SECOND_FACTOR_CHALLENGED', userId: user.id }, client);
  throw secondFactorRequired(offers, promptFor(deps.methods, offers), token);
}

/**
 * Finishes a login with its challenge and a code of a method that takes codes:
 * the session's `amr` is the first step's, then the method's (`[pwd, otp]`).
 */
export async function verifySecondFactor(
  deps: FactorDeps,
  input: { challenge: string; code: string },
  client: ClientInfo,
): Promise<SignedIn> {
  const now = deps.clock.now();
  const spent = await spendChallengeAttempt(deps, input.challenge, now);
  const user = await deps.prisma.user.findUnique({ where: { id: spent.userId } });
  // The first step was the password: one locked by the owner since signs nobody in.
  if (!user || user.disabledAt || user.passwordResetRequiredAt) throw challengeInvalid();

  const method = await checkSecondFactorCode(deps, user, input.code, client, CHALLENGE_ATTEMPTS - spent.attempts);
  await useUpChallenge(deps, spent.id, now);
  return startSession(deps, user, client, withAmr(spent.amr, method.amr));
}

/** The `amr` of a first step followed by a second: each value once, in order. */
export const withAmr = (first: readonly AuthMethod[], second: readonly AuthMethod[]): AuthMethod[] => [
  ...new Set([...first, ...second]),
];

/** The login challenge `challenge` names, while it is open: unused, unexpired, with attempts left. */
function openChallenge(challenge: string, now: Date) {
  if (challenge.length === 0 || challenge.length > MAX_CHALLENGE_LENGTH) throw challengeInvalid();
  return {
    tokenHash: hashOpaqueToken(challenge),
    usedAt: null,
    expiresAt: { gt: now },
    attempts: { lt: CHALLENGE_ATTEMPTS },
  };
}

/** Why a challenge is not open: finished already, out of codes, or expired (or never made). */
async function closedChallenge(deps: Pick<FactorDeps, 'prisma'>, challenge: string, now: Date) {
  const found = await deps.prisma.loginChallenge.findUnique({
    where: { tokenHash: hashOpaqueToken(challenge) },
    select: { usedAt: true, attempts: true, expiresAt: true },
  });
  if (found?.usedAt) return challengeInvalid('used');
  if (found && found.expiresAt > now && found.attempts >= CHALLENGE_ATTEMPTS) return challengeInvalid('exhausted');
  return challengeInvalid('expired');
}

/** An open login challenge, without spending an attempt. */
export async function findOpenChallenge(deps: Pick<FactorDeps, 'prisma'>, challenge: string, now: Date) {
  const found = await deps.prisma.loginChallenge.findFirst({
    where: openChallenge(challenge, now),
    select: { id: true, userId: true },
  });
  if (!found) throw await closedChallenge(deps, challenge, now);
  return found;
}

/**
 * Spends one attempt of an open login challenge, in one UPDATE: at most
 * CHALLENGE_ATTEMPTS tries, of any second factor, however many arrive at once.
 */
export async function spendChallengeAttempt(deps: Pick<FactorDeps, 'prisma'>, challenge: string, now: Date) {
  const [spent] = await deps.prisma.loginChallenge.updateManyAndReturn({
    where: openChallenge(challenge, now),
    data: { attempts: { increment: 1 } },
    select: { id: true, userId: true, attempts: true, amr: true },
  });
  if (!spent) throw await closedChallenge(deps, challenge, now);
  return spent;
}

/** Marks the challenge used: of two right answers racing (a code and a recovery code, say), one signs in. */
export async function useUpChallenge(deps: Pick<FactorDeps, 'prisma'>, id: string, now: Date): Promise<void> {
  const { count } = await deps.prisma.loginChallenge.updateMany({ where: { id, usedAt: null }, data: { usedAt: now } });
  if (count === 0) throw challengeInvalid('used');
}

/** Deletes challenges expired or used more than a day before `now`; returns how many. */
export async function pruneLoginChallenges(deps: Pick<FactorDeps, 'prisma'>, now: Date): Promise<number> {
  const before = new Date(now.getTime() - 86400 * 1000);
  const { count } = await deps.prisma.loginChallenge.deleteMany({ where: { expiresAt: { lt: before } } });
  return count;
}
