import { emailNotVerified, emailTaken } from '../../errors.ts';
import type { AccountDeps } from '../../auth/accounts/deps.ts';
import { checkNewPassword, normalizeEmail, normalizeName } from '../../auth/accounts/rules.ts';
import { queueVerificationMail } from '../../auth/recovery/email-verification.ts';
import { clientKey, type ClientInfo } from '../../auth/sessions/client.ts';
import { newSessionData, signedIn, type SignedIn } from '../../auth/sessions/sessions.ts';
import { newOpaqueToken } from '../../crypto/opaque-tokens.ts';
import { isUniqueViolation } from '../../db/errors.ts';

export interface SignUpInput {
  email: string;
  password: string;
  name?: string | null | undefined;
}

/** A session a password proved carries `amr: [pwd]`. */
export const PASSWORD_AMR = ['pwd'] as const;

/**
 * Creates an account with its password and signs it in (one write: the user, its
 * session and its refresh token exist together or not at all); with verification
 * required, the account waits for its address and nobody is signed in.
 */
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
        ...newSessionData(deps.limits, client, refresh.hash, now, PASSWORD_AMR),
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
