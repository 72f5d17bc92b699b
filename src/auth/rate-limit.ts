import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { rateLimited } from '../errors.ts';

export interface Limit {
  points: number;
  durationSeconds: number;
}

export interface RateLimitSettings {
  /** Failed logins for one email from one client IP. */
  loginFailuresPerEmailAndIp: Limit;
  /** Failed logins for one email from all IPs: slows a distributed attack on one account. */
  loginFailuresPerEmail: Limit;
  /** Login attempts from one client IP. */
  loginAttemptsPerIp: Limit;
  signUpsPerIp: Limit;
  refreshesPerIp: Limit;
}

/** Counted per attempt inside the resolvers, so aliases and batches cannot multiply attempts. */
export interface RateLimits {
  /** Before checking a password: refuses when the IP or the account is over its limit. */
  beforeLogin(email: string, ip: string): Promise<void>;
  loginFailed(email: string, ip: string): Promise<void>;
  /** A success clears that email's failures from that IP (not from others). */
  loginSucceeded(email: string, ip: string): Promise<void>;
  beforeSignUp(ip: string): Promise<void>;
  beforeRefresh(ip: string): Promise<void>;
}

export const NO_RATE_LIMITS: RateLimits = {
  beforeLogin: async () => {},
  loginFailed: async () => {},
  loginSucceeded: async () => {},
  beforeSignUp: async () => {},
  beforeRefresh: async () => {},
};

export type LimitName = 'login-failures-email-ip' | 'login-failures-email' | 'login-ip' | 'signup-ip' | 'refresh-ip';

/** Told once per window, when a key first goes over its limit (for the audit trail). */
export type OnLimitReached = (limit: LimitName, ip: string) => void;

/**
 * Counters in memory, or in Redis when given, so that several instances share
 * them. Should Redis fail, each instance falls back to its own memory rather
 * than refusing or waving through every login.
 */
export function createRateLimits(settings: RateLimitSettings, redis?: Redis, onLimitReached: OnLimitReached = () => {}): RateLimits {
  const limiter = (name: LimitName, limit: Limit): RateLimiterAbstract => {
    const options = { keyPrefix: `tollgate:${name}`, points: limit.points, duration: limit.durationSeconds };
    const memory = new RateLimiterMemory(options);
    return redis ? new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: memory }) : memory;
  };
  const failuresPerEmailAndIp = limiter('login-failures-email-ip', settings.loginFailuresPerEmailAndIp);
  const failuresPerEmail = limiter('login-failures-email', settings.loginFailuresPerEmail);
  const attemptsPerIp = limiter('login-ip', settings.loginAttemptsPerIp);
  const signUpsPerIp = limiter('signup-ip', settings.signUpsPerIp);
  const refreshesPerIp = limiter('refresh-ip', settings.refreshesPerIp);
  const emailAndIp = (email: string, ip: string) => `${email}|${ip}`;

  const consume = async (limiter: RateLimiterAbstract, name: LimitName, limit: Limit, ip: string) => {
    try {
      await limiter.consume(ip);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      if (error.consumedPoints === limit.points + 1) onLimitReached(name, ip);
      throw rateLimited(error.msBeforeNext);
    }
  };
  const penalise = async (limiter: RateLimiterAbstract, name: LimitName, limit: Limit, key: string, ip: string) => {
    const used = await limiter.penalty(key);
    if (used.consumedPoints === limit.points) onLimitReached(name, ip);
  };

  return {
    async beforeLogin(email, ip) {
      await consume(attemptsPerIp, 'login-ip', settings.loginAttemptsPerIp, ip);
      await refuseIfSpent(failuresPerEmailAndIp, emailAndIp(email, ip), settings.loginFailuresPerEmailAndIp);
      await refuseIfSpent(failuresPerEmail, email, settings.loginFailuresPerEmail);
    },
    async loginFailed(email, ip) {
      await Promise.all([
        penalise(failuresPerEmailAndIp, 'login-failures-email-ip', settings.loginFailuresPerEmailAndIp, emailAndIp(email, ip), ip),
        penalise(failuresPerEmail, 'login-failures-email', settings.loginFailuresPerEmail, email, ip),
      ]);
    },
    async loginSucceeded(email, ip) {
      await failuresPerEmailAndIp.delete(emailAndIp(email, ip));
    },
    beforeSignUp: (ip) => consume(signUpsPerIp, 'signup-ip', settings.signUpsPerIp, ip),
    beforeRefresh: (ip) => consume(refreshesPerIp, 'refresh-ip', settings.refreshesPerIp, ip),
  };
}

async function refuseIfSpent(limiter: RateLimiterAbstract, key: string, limit: Limit): Promise<void> {
  const used = await limiter.get(key);
  if (used && used.consumedPoints >= limit.points) throw rateLimited(used.msBeforeNext);
}
