import type { BackgroundTasks } from '../background.ts';
import type { Config } from '../config/config.ts';
import type { SignInMethod } from './method.ts';
import type { Clock } from '../clock.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Logger } from '../logger.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { MailSettings } from '../mail/templates.ts';
import type { PasswordHasher } from './accounts/password-hasher.ts';
import type { Audit } from './audit/audit.ts';
import type { RateLimits } from './limits/rate-limits.ts';

/** What the kernel's flows need, those that send mail among them. */
export interface MailFlowDeps {
  /** The sign-in methods in force (src/methods.ts): the kernel loops over them and names none. */
  methods: readonly SignInMethod[];
  /** The settings, the methods' own among them (`config.methods[id]`). */
  config: Config;
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
