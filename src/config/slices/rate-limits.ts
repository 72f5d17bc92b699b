import { z } from 'zod';
import { type LimitSettings, limitSettings, type NamedLimit } from '../limits.ts';
import { optional } from '../env-values.ts';
import { settingsSlice } from '../slice.ts';

const minutes = (count: number) => count * 60;
const hours = (count: number) => count * 3600;

/** The service's own limits; each sign-in method may add its own (its `limits`). */
export const KERNEL_LIMITS = [
  {
    name: 'login-failures-email-ip',
    variable: 'RATE_LIMIT_LOGIN_FAILURES_EMAIL_IP',
    byDefault: { points: 10, durationSeconds: minutes(15) },
    counts: 'failed logins for one email from one client IP',
  },
  {
    name: 'login-failures-email',
    variable: 'RATE_LIMIT_LOGIN_FAILURES_EMAIL',
    byDefault: { points: 50, durationSeconds: hours(1) },
    counts: 'failed logins for one email from all IPs: slows a distributed attack on one account',
  },
  {
    name: 'login-ip',
    variable: 'RATE_LIMIT_LOGIN_IP',
    byDefault: { points: 100, durationSeconds: minutes(15) },
    counts: 'sign-in attempts from one client IP, of any method',
  },
  {
    name: 'login-failures-ip',
    variable: 'RATE_LIMIT_LOGIN_FAILURES_IP',
    byDefault: { points: 30, durationSeconds: minutes(15) },
    counts: 'failed logins from one client IP, whatever the email: password spraying across many accounts',
  },
  {
    name: 'signup-ip',
    variable: 'RATE_LIMIT_SIGNUP_IP',
    byDefault: { points: 20, durationSeconds: hours(1) },
    counts: 'sign-ups from one client IP',
  },
  {
    name: 'refresh-ip',
    variable: 'RATE_LIMIT_REFRESH_IP',
    byDefault: { points: 300, durationSeconds: minutes(15) },
    counts: 'refreshes from one client IP',
  },
  {
    name: 'mail-ip',
    variable: 'RATE_LIMIT_MAIL_IP',
    byDefault: { points: 20, durationSeconds: hours(1) },
    counts: 'mails asked for (password resets, verification, email changes) from one client IP',
  },
  {
    name: 'mail-address',
    variable: 'RATE_LIMIT_MAIL_ADDRESS',
    byDefault: { points: 3, durationSeconds: hours(1) },
    counts: 'mails sent to one address: past it, requests still succeed and no mail goes out',
  },
  {
    name: 'second-factor-account',
    variable: 'RATE_LIMIT_SECOND_FACTOR_FAILURES',
    byDefault: { points: 10, durationSeconds: hours(1) },
    counts: 'wrong second-factor codes for one account, across challenges: a new login cannot buy more guesses',
  },
  {
    name: 'sign-in-notice-account',
    variable: 'RATE_LIMIT_NEW_SIGN_IN_NOTICES',
    byDefault: { points: 5, durationSeconds: hours(24) },
    counts: "new sign-in notices mailed to one account: a thief signing in again and again floods nobody's mailbox",
  },
] as const satisfies readonly NamedLimit[];

export type KernelLimitName = (typeof KERNEL_LIMITS)[number]['name'];

export interface RateLimitSettings {
  readonly enabled: boolean;
  /** Every limit by name: the kernel's and the methods'. */
  readonly limits: LimitSettings & Readonly<Record<KernelLimitName, LimitSettings[string]>>;
}

/** RATE_LIMIT (on or off), the limits of the kernel and of `methodLimits`, and where they are counted. */
export function rateLimitSettings(methodLimits: readonly NamedLimit[]) {
  const limits = limitSettings([...KERNEL_LIMITS, ...methodLimits]);
  return settingsSlice(
    {
      RATE_LIMIT: optional(z.enum(['on', 'off'])).default('on'),
      REDIS_URL: optional(z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')),
      ...limits.variables,
    },
    (e, context) => {
      const rateLimit: RateLimitSettings = {
        enabled: e.RATE_LIMIT === 'on',
        limits: limits.read(e, context) as RateLimitSettings['limits'],
      };
      /** Shared store for rate-limit counters; unset: each instance counts in memory. */
      const redisUrl: string | undefined = e.REDIS_URL;
      return { rateLimit, redisUrl };
    },
  );
}
