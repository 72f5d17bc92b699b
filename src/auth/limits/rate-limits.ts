import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { rateLimited } from '../../errors.ts';
import { mailboxOf } from './mailbox.ts';
import type { Limit, RateLimitSettings } from '../../config/limits.ts';

export type { Limit, RateLimitSettings };

/** Counted per attempt inside the resolvers, so aliases and batches cannot multiply attempts. */
export interface RateLimits {
  /**
   * Before checking a password: counts the attempt, and charges a failure to the
   * email (from this IP and from all) that a success then gives back. Refuses
   * when the IP or the account is over its limit.
   */
  beforeLogin(email: string, ip: string): Promise<void>;
  /** A success clears that email's failures from that IP (not from others). */
  loginSucceeded(email: string, ip: string): Promise<void>;
  /** An attempt that never reached a verdict (the database failed) gives its failure back. */
  loginAbandoned(email: string, ip: string): Promise<void>;
  beforeSignUp(ip: string): Promise<void>;
  beforeRefresh(ip: string): Promise<void>;
  /** Before a request that sends mail (reset, verification, email change): RATE_LIMITED past the per-IP limit. */
  beforeMail(ip: string): Promise<void>;
  /**
   * Whether one more mail may go to `email`'s mailbox now (its `+tag` and, where the
   * provider ignores them, its dots aside). Past the limit the request still
   * succeeds and sends nothing.
   */
  mayMail(email: string): Promise<boolean>;
  /** Whether one more new sign-in notice may go to the account now. */
  mayNoticeSignIn(userId: string): Promise<boolean>;
  /** Before checking a second-factor code: charges a failure to the account, RATE_LIMITED past its limit. */
  beforeSecondFactor(userId: string, ip: string): Promise<void>;
  /** A right code gives its charge back. */
  secondFactorSucceeded(userId: string): Promise<void>;
  /** A sign-in without a password (its options or its answer): counted with the login attempts of the IP. */
  beforeLoginAttempt(ip: string): Promise<void>;
}

export const NO_RATE_LIMITS: RateLimits = {
  beforeLogin: async () => {},
  loginSucceeded: async () => {},
  loginAbandoned: async () => {},
  beforeSignUp: async () => {},
  beforeRefresh: async () => {},
  beforeMail: async () => {},
  mayMail: async () => true,
  mayNoticeSignIn: async () => true,
  beforeSecondFactor: async () => {},
  secondFactorSucceeded: async () => {},
  beforeLoginAttempt: async () => {},
};

export type LimitName =
  | 'login-failures-email-ip'
  | 'login-failures-email'
  | 'login-failures-ip'
  | 'login-ip'
  | 'signup-ip'
  | 'refresh-ip'
  | 'mail-ip'
  | 'mail-address'
  | 'second-factor-account'
  | 'sign-in-notice-account';

/** Told once per window, when a key first goes over its limit (for the audit trail). */
export type OnLimitReached = (limit: LimitName, ip: string) => void;

/**
 * Counters in memory, or in Redis when given, so that several instances share
 * them. Should Redis fail, each instance falls back to its own memory rather
 * than refusing or waving through every login.
 */
export function createRateLimits(
  settings: RateLimitSettings,
  redis?: Redis,
  onLimitReached: OnLimitReached = () => {},
): RateLimits {
  const limiter = (name: LimitName, limit: Limit): RateLimiterAbstract => {
    const options = { keyPrefix: `tollgate:${name}`, points: limit.points, duration: limit.durationSeconds };
    const memory = new RateLimiterMemory(options);
    return redis ? new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: memory }) : memory;
  };
  const failuresPerEmailAndIp = limiter('login-failures-email-ip', settings.loginFailuresPerEmailAndIp);
  const failuresPerEmail = limiter('login-failures-email', settings.loginFailuresPerEmail);
  const attemptsPerIp = limiter('login-ip', settings.loginAttemptsPerIp);
  const failuresPerIp = limiter('login-failures-ip', settings.loginFailuresPerIp);
  const signUpsPerIp = limiter('signup-ip', settings.signUpsPerIp);
  const refreshesPerIp = limiter('refresh-ip', settings.refreshesPerIp);
  const mailsPerIp = limiter('mail-ip', settings.mailsPerIp);
  const mailsPerAddress = limiter('mail-address', settings.mailsPerAddress);
  const secondFactorFailures = limiter('second-factor-account', settings.secondFactorFailuresPerAccount);
  const signInNotices = limiter('sign-in-notice-account', settings.newSignInNoticesPerAccount);
  const emailAndIp = (email: string, ip: string) => `${email}|${ip}`;

  const consume = async (limiter: RateLimiterAbstract, name: LimitName, limit: Limit, key: string, ip: string) => {
    try {
      await limiter.consume(key);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      if (error.consumedPoints === limit.points + 1) onLimitReached(name, ip);
      throw rateLimited(error.msBeforeNext);
    }
  };

  return {
    // A failure is charged before the password is checked and given back on
    // success: attempts running side by side cannot all slip under the limit.
    async beforeLogin(email, ip) {
      await consume(attemptsPerIp, 'login-ip', settings.loginAttemptsPerIp, ip, ip);
      await consume(failuresPerIp, 'login-failures-ip', settings.loginFailuresPerIp, ip, ip);
      try {
        await consume(
          failuresPerEmailAndIp,
          'login-failures-email-ip',
          settings.loginFailuresPerEmailAndIp,
          emailAndIp(email, ip),
          ip,
        );
        try {
          await consume(failuresPerEmail, 'login-failures-email', settings.loginFailuresPerEmail, email, ip);
        } catch (error) {
          await failuresPerEmailAndIp.reward(emailAndIp(email, ip));
          throw error;
        }
      } catch (error) {
        // Refused before any password was checked: not a failure of this IP's.
        await failuresPerIp.reward(ip);
        throw error;
      }
    },
    // A success gives back its own charge on the IP, no more: one account that
    // works must not wipe out an IP's failures against all the others.
    async loginSucceeded(email, ip) {
      await Promise.all([
        failuresPerEmailAndIp.delete(emailAndIp(email, ip)),
        failuresPerEmail.reward(email),
        failuresPerIp.reward(ip),
      ]);
    },
    async loginAbandoned(email, ip) {
      await Promise.all([
        failuresPerEmailAndIp.reward(emailAndIp(email, ip)),
        failuresPerEmail.reward(email),
        failuresPerIp.reward(ip),
      ]);
    },
    beforeSignUp: (ip) => consume(signUpsPerIp, 'signup-ip', settings.signUpsPerIp, ip, ip),
    beforeRefresh: (ip) => consume(refreshesPerIp, 'refresh-ip', settings.refreshesPerIp, ip, ip),
    beforeMail: (ip) => consume(mailsPerIp, 'mail-ip', settings.mailsPerIp, ip, ip),
    beforeSecondFactor: (userId, ip) =>
      consume(secondFactorFailures, 'second-factor-account', settings.secondFactorFailuresPerAccount, userId, ip),
    beforeLoginAttempt: (ip) => consume(attemptsPerIp, 'login-ip', settings.loginAttemptsPerIp, ip, ip),
    async secondFactorSucceeded(userId) {
      await secondFactorFailures.reward(userId);
    },
    mayMail: (email) => allowed(mailsPerAddress, mailboxOf(email)),
    mayNoticeSignIn: (userId) => allowed(signInNotices, userId),
  };
}

/** Whether `limiter` takes one more point for `key`: false past its limit, never an error. */
async function allowed(limiter: RateLimiterAbstract, key: string): Promise<boolean> {
  try {
    await limiter.consume(key);
    return true;
  } catch (error) {
    if (error instanceof RateLimiterRes) return false;
    throw error;
  }
}
