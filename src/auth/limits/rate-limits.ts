import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { rateLimited } from '../../errors.ts';
import { mailboxOf } from './mailbox.ts';
import type { Limit } from '../../config/limits.ts';
import type { KernelLimitName, RateLimitSettings } from '../../config/slices/rate-limits.ts';

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
  /** Counts one against the named limit (a method's own among them) for `key`: RATE_LIMITED past it. */
  consume(limit: LimitName, key: string, ip: string): Promise<void>;
  /** Gives one back, for an attempt that turned out to be no failure. */
  reward(limit: LimitName, key: string): Promise<void>;
  /** Whether the named limit takes one more for `key` now: false past it, never an error. */
  allows(limit: LimitName, key: string): Promise<boolean>;
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
  consume: async () => {},
  reward: async () => {},
  allows: async () => true,
};

/** A limit's name: the kernel's (config/slices/rate-limits.ts), or one a sign-in method adds. */
export type LimitName = KernelLimitName | (string & {});

/** Told once per window, when a key first goes over its limit (for the audit trail). */
export type OnLimitReached = (limit: LimitName, ip: string) => void;

/**
 * Counters in memory, or in Redis when given, so that several instances share
 * them, one per named limit of the settings. Should Redis fail, each instance
 * falls back to its own memory rather than refusing or waving through every login.
 */
export function createRateLimits(
  settings: RateLimitSettings,
  redis?: Redis,
  onLimitReached: OnLimitReached = () => {},
): RateLimits {
  const limiters = new Map<LimitName, { limiter: RateLimiterAbstract; limit: Limit }>();
  const named = (name: LimitName) => {
    let made = limiters.get(name);
    if (!made) {
      const limit = settings.limits[name];
      if (!limit) throw new Error(`no rate limit is named ${name}`);
      const options = { keyPrefix: `tollgate:${name}`, points: limit.points, duration: limit.durationSeconds };
      const memory = new RateLimiterMemory(options);
      const limiter = redis
        ? new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: memory })
        : memory;
      made = { limiter, limit };
      limiters.set(name, made);
    }
    return made;
  };
  const emailAndIp = (email: string, ip: string) => `${email}|${ip}`;

  const consume = async (name: LimitName, key: string, ip: string) => {
    const { limiter, limit } = named(name);
    try {
      await limiter.consume(key);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      if (error.consumedPoints === limit.points + 1) onLimitReached(name, ip);
      throw rateLimited(error.msBeforeNext);
    }
  };
  const reward = async (name: LimitName, key: string) => {
    await named(name).limiter.reward(key);
  };
  const allows = (name: LimitName, key: string) => allowed(named(name).limiter, key);

  return {
    // A failure is charged before the password is checked and given back on
    // success: attempts running side by side cannot all slip under the limit.
    async beforeLogin(email, ip) {
      await consume('login-ip', ip, ip);
      await consume('login-failures-ip', ip, ip);
      try {
        await consume('login-failures-email-ip', emailAndIp(email, ip), ip);
        try {
          await consume('login-failures-email', email, ip);
        } catch (error) {
          await reward('login-failures-email-ip', emailAndIp(email, ip));
          throw error;
        }
      } catch (error) {
        // Refused before any password was checked: not a failure of this IP's.
        await reward('login-failures-ip', ip);
        throw error;
      }
    },
    // A success gives back its own charge on the IP, no more: one account that
    // works must not wipe out an IP's failures against all the others.
    async loginSucceeded(email, ip) {
      await Promise.all([
        named('login-failures-email-ip').limiter.delete(emailAndIp(email, ip)),
        reward('login-failures-email', email),
        reward('login-failures-ip', ip),
      ]);
    },
    async loginAbandoned(email, ip) {
      await Promise.all([
        reward('login-failures-email-ip', emailAndIp(email, ip)),
        reward('login-failures-email', email),
        reward('login-failures-ip', ip),
      ]);
    },
    beforeSignUp: (ip) => consume('signup-ip', ip, ip),
    beforeRefresh: (ip) => consume('refresh-ip', ip, ip),
    beforeMail: (ip) => consume('mail-ip', ip, ip),
    beforeSecondFactor: (userId, ip) => consume('second-factor-account', userId, ip),
    secondFactorSucceeded: (userId) => reward('second-factor-account', userId),
    beforeLoginAttempt: (ip) => consume('login-ip', ip, ip),
    mayMail: (email) => allows('mail-address', mailboxOf(email)),
    mayNoticeSignIn: (userId) => allows('sign-in-notice-account', userId),
    consume,
    reward,
    allows,
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
