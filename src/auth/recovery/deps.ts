import type { BackgroundTasks } from '../../background.ts';
import type { Clock } from '../../clock.ts';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Logger } from '../../logger.ts';
import type { Mailer } from '../../mail/mailer.ts';
import type { MailSettings } from '../../mail/templates.ts';
import type { PasswordHasher } from '../accounts/password-hasher.ts';
import type { Audit } from '../audit/audit.ts';
import type { RateLimits } from '../limits/rate-limits.ts';

/** What the flows that send mail need. */
export interface MailFlowDeps {
  prisma: PrismaClient;
  clock: Clock;
  hasher: PasswordHasher;
  audit: Audit;
  rateLimits: RateLimits;
  logger: Logger;
  mailer: Mailer;
  background: BackgroundTasks;
  mail: MailSettings & {
    passwordResetTtlSeconds: number;
    emailVerificationTtlSeconds: number;
    requireEmailVerification: boolean;
    newSignInNotice: boolean;
  };
}
