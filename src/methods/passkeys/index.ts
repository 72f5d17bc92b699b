import type { SignInMethod } from '../../auth/method.ts';
import { pruneWebAuthnChallenges } from './ceremony/challenges.ts';
import { countPasskeysAddedSince, removePasskeys } from './removal.ts';
import { passkeySettings } from './settings.ts';

/** Passkeys (WebAuthn): sign in on their own, and count as a second factor. */
export const passkeys: SignInMethod = {
  id: 'passkeys',
  amr: ['hwk'],
  words: 'a passkey',
  steps: ['first', 'second'],
  settings: passkeySettings,
  secondFactor: {
    offers: ['PASSKEY'],
    prompt: 'Confirm with your passkey.',
    stepUpPrompt: 'Confirm with your passkey first (stepUpWithPasskey).',
    enrolledSql: `EXISTS (SELECT 1 FROM "Passkey" p WHERE p."userId" = u.id)`,
    enrolledSelect: { _count: { select: { passkeys: true } } },
    isEnrolled: (row) => ((row as { _count?: { passkeys?: number } })._count?.passkeys ?? 0) > 0,
    count: (db, userId) => db.passkey.count({ where: { userId } }),
    countAddedSince: countPasskeysAddedSince,
    remove: removePasskeys,
  },
  prune: pruneWebAuthnChallenges,
  // Options handed out for a ceremony not yet answered stop working with the sessions.
  endAccountAccess: async (tx, userId, now) => {
    await tx.webAuthnChallenge.updateMany({ where: { userId, usedAt: null }, data: { usedAt: now } });
  },
  graphql: () => import('./graphql.ts'),
};
