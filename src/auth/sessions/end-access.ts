import type { OneTimeTokenPurpose, Prisma } from '../../generated/prisma/client.ts';
import type { SignInMethod } from '../method.ts';
import { retireOneTimeTokens } from '../one-time/one-time-tokens.ts';
import { type RevokeReason, revokeSessions } from './revoke.ts';

type Db = Prisma.TransactionClient;

/** The four ways every session of an account ends at once. */
export type AccessEnding = 'secured' | 'password_reset' | 'revoked_by_admin' | 'account_disabled';

/**
 * What else each ending stops, beside the sessions: the mailed links of changes
 * someone may have started from a session that is ending (an email change
 * waiting for its confirmation above all). Half-done sign-ins (login challenges,
 * and what each method holds open) always end with the sessions. The links of the owner's own
 * mailbox that only protect the account stay: a reset keeps the "it was not me"
 * links, which can still undo what a thief did before it.
 */
const RETIRED: Record<AccessEnding, { reason: RevokeReason; tokens: OneTimeTokenPurpose[] }> = {
  secured: { reason: 'account_secured', tokens: ['EMAIL_CHANGE', 'PASSWORD_RESET', 'SECURE_ACCOUNT'] },
  password_reset: { reason: 'password_reset', tokens: ['EMAIL_CHANGE', 'PASSWORD_RESET'] },
  revoked_by_admin: { reason: 'revoked_by_admin', tokens: ['EMAIL_CHANGE'] },
  account_disabled: { reason: 'account_disabled', tokens: ['EMAIL_CHANGE', 'PASSWORD_RESET'] },
};

/**
 * Ends every session of the account and what was started from them, inside the
 * caller's transaction (no half-ended account). With `disownedSince` (securing
 * the account), the sessions started since then are marked disowned: their
 * devices no longer count as known. Returns how many sessions were live.
 */
export async function endAccountAccess(
  tx: Db,
  methods: readonly SignInMethod[],
  userId: string,
  ending: AccessEnding,
  now: Date,
  options: { disownedSince?: Date } = {},
): Promise<number> {
  const { reason, tokens } = RETIRED[ending];
  let ended = 0;
  if (options.disownedSince) {
    const since = { userId, createdAt: { gte: options.disownedSince } };
    ended += await revokeSessions(tx, since, 'disowned', now);
    // Ended before (a logout, say), they are disowned as well: their devices too are known no more.
    await tx.session.updateMany({ where: since, data: { revokedReason: 'disowned' satisfies RevokeReason } });
  }
  ended += await revokeSessions(tx, { userId }, reason, now);
  await retireOneTimeTokens(tx, userId, tokens, now);
  await tx.loginChallenge.updateMany({ where: { userId, usedAt: null }, data: { usedAt: now } });
  for (const method of methods) await method.endAccountAccess?.(tx, userId, now);
  return ended;
}
