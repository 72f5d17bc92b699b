import type { SignInMethod } from '../../auth/method.ts';
import { useTotpOrRecoveryCode } from './codes.ts';
import { countTotpAddedSince, removeTotp } from './removal.ts';
import { totpSettings } from './settings.ts';

/** An authenticator app (RFC 6238), with its recovery codes: a second factor. */
export const totp: SignInMethod = {
  id: 'totp',
  amr: ['otp'],
  words: 'a second-factor code',
  steps: ['second'],
  settings: totpSettings,
  secondFactor: {
    offers: ['TOTP', 'RECOVERY_CODE'],
    prompt: 'Enter a code from your authenticator app, or a recovery code.',
    stepUpPrompt: 'Confirm with a code from your authenticator app first (the `code` argument).',
    enrolledSql: `EXISTS (SELECT 1 FROM "TotpFactor" f WHERE f."userId" = u.id AND f."confirmedAt" IS NOT NULL)`,
    enrolledSelect: { totp: { select: { confirmedAt: true } } },
    isEnrolled: (row) => Boolean((row as { totp?: { confirmedAt: Date | null } | null }).totp?.confirmedAt),
    count: (db, userId) => db.totpFactor.count({ where: { userId, confirmedAt: { not: null } } }),
    countAddedSince: countTotpAddedSince,
    remove: removeTotp,
    useCode: useTotpOrRecoveryCode,
  },
  sealedSecrets: (prisma) => prisma.totpFactor.count(),
  graphql: () => import('./graphql.ts'),
};
