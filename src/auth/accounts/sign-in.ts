import { emailNotVerified, emailTaken, invalidCredentials, passwordResetRequired } from '../../errors.ts';
import { refuseUnusable } from './usable.ts';
import { queueVerificationMail } from '../recovery/email-verification.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { checkNewPassword, checkPasswordLength, normalizeEmail, normalizeName } from './rules.ts';
import { newOpaqueToken } from '../../crypto/opaque-tokens.ts';
import {
  clientKey,
  newSessionData,
  signedIn,
  type ClientInfo,
  type SessionLimits,
  type SignedIn,
} from '../sessions/sessions.ts';
import type { AccessTokens } from '../tokens/access-tokens.ts';
import { startSession } from '../sessions/start-session.ts';
import { challengeLogin } from '../second-factor/challenge.ts';
import type { FactorDeps } from '../second-factor/deps.ts';
import type { Sql } from '../../db/sql.ts';
import { findLoginAccount } from './login-account.ts';

/** What the account flows need: the flows that send mail, sessions, and second factors. */
export interface AccountDeps extends FactorDeps {
  sql: Sql;
  tokens: AccessTokens;
  limits: SessionLimits;
}

export interface SignUpInput {
  email: string;
  password: string;
  name?: string | null | undefined;
}

export interface LoginInput {
  email: string;
  password: string;
}

export async function signUp(deps: AccountDeps, input: SignUpInput, client: ClientInfo): Promise<SignedIn> {
  await deps.rateLimits.beforeSignUp(clientKey(client));
  const email = normalizeEmail(input.email);
  const name = normalizeName(input.name);
  await checkNewPassword(input.password, email);

  // Cheap early answer; the unique index below is what settles a race.
  const existing = await deps.prisma.user.findUnique({ where: { email }, select: { id: true } });
  if (existing) throw emailTaken();

  const passwordHash = await deps.hasher.hash(input.password);
  const now = deps.clock.now();
  if (deps.mail.requireEmailVerification) {
    // No session until the address is confirmed: the account exists, and the link is on its way.
    const user = await createOrTaken(() =>
      deps.prisma.user.create({ data: { email, name, passwordHash, createdAt: now } }),
    );
    await deps.audit.record({ type: 'SIGN_UP', userId: user.id }, client);
    queueVerificationMail(deps, user, client);
    throw emailNotVerified();
  }
  const refresh = newOpaqueToken();
  // One nested write: the user, its session and its refresh token exist together or not at all.
  const session = await createOrTaken(() =>
    deps.prisma.session.create({
      data: {
        ...newSessionData(deps.limits, client, refresh.hash, now),
        user: { create: { email, name, passwordHash, createdAt: now } },
      },
      include: { user: true },
    }),
  );
  await deps.audit.record({ type: 'SIGN_UP', userId: session.user.id, sessionId: session.id }, client);
  queueVerificationMail(deps, session.user, client);
  return signedIn(deps.tokens, session.user, session, refresh.token, { justAuthenticated: true });
}

/** A write that makes an account; the unique index on email settles two sign-ups racing. */
async function createOrTaken<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
}

async function checkPassword(deps: AccountDeps, email: string, password: string) {
  // With its second factors, in the same statement: a login needs them next.
  const user = await findLoginAccount(deps, email);
  // Always one bcrypt comparison, against a dummy hash for an unknown email, and
  // one answer for both failures: the response says nothing about who has an account.
  const matches = await deps.hasher.verify(password, user?.passwordHash ?? null);
  return { user, matches };
}

export async function login(deps: AccountDeps, input: LoginInput, client: ClientInfo): Promise<SignedIn> {
  const email = normalizeEmail(input.email);
  checkPasswordLength(input.password);
  const ip = clientKey(client);
  await deps.rateLimits.beforeLogin(email, ip);

  const { user, matches } = await checkPassword(deps, email, input.password).catch(async (error: unknown) => {
    // No verdict (the database failed): a client retrying through an outage must
    // not lock its own account.
    await deps.rateLimits.loginAbandoned(email, ip).catch(() => {});
    throw error;
  });
  if (!user || !matches) {
    await deps.audit.record({ type: 'LOGIN_FAILED', userId: user?.id }, client);
    throw invalidCredentials();
  }
  await deps.rateLimits.loginSucceeded(email, ip);
  await refuseUnusable(deps, user, client);
  if (user.passwordResetRequiredAt) {
    // Locked by the owner from the mail: whoever else has the password gets nothing.
    await deps.audit.record(
      { type: 'LOGIN_FAILED', userId: user.id, detail: { reason: 'password_reset_required' } },
      client,
    );
    throw passwordResetRequired();
  }
  const { secondFactorOffers, ...account } = user;
  if (secondFactorOffers.length > 0) await challengeLogin(deps, account, secondFactorOffers, client, ['pwd']);

  return startSession(deps, account, client, ['pwd']);
}
