import type { PrismaClient, User } from '../../generated/prisma/client.ts';
import { type MailedToken, SECURE_ACCOUNT_TTL_SECONDS } from '../../mail/templates.ts';
import { issueOneTimeToken } from './one-time-tokens.ts';

/**
 * The "it was not me" link a notice of a sign-in or a change carries, mailed to
 * the account's address: `secureAccount` with it ends every session and undoes
 * what was changed since `eventAt` (when the sign-in or the change happened).
 * It keeps the password hash of that moment (`passwordHash`, before a change of
 * it): removing a second factor added since takes that password as well.
 */
export function secureAccountLink(
  prisma: PrismaClient,
  user: Pick<User, 'id' | 'email' | 'passwordHash'>,
  eventAt: Date,
  now: Date,
  passwordHash = user.passwordHash,
): Promise<MailedToken> {
  return issueOneTimeToken(prisma, {
    purpose: 'SECURE_ACCOUNT',
    userId: user.id,
    email: user.email,
    ttlSeconds: SECURE_ACCOUNT_TTL_SECONDS,
    now,
    eventAt,
    passwordHash,
  });
}
