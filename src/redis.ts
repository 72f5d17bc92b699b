import type { Redis } from 'ioredis';
import type { Logger } from './logger.ts';

/**
 * A Redis client for shared rate-limit counters. Commands fail at once while
 * the connection is down (no queue), so the limiters fall back to memory
 * instead of making logins wait.
 */
export async function connectRedis(url: string, logger: Logger): Promise<Redis> {
  // Loaded only when REDIS_URL is set: ~16 MiB that a single process does without.
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 });
  let down = false;
  redis.on('error', (error: Error) => {
    if (!down)
      logger.warn(
        { err: { message: error.message } },
        'redis unavailable: rate limits count in memory until it is back',
      );
    down = true;
  });
  redis.on('ready', () => {
    if (down) logger.info('redis is back: rate limits are shared again');
    down = false;
  });
  return redis;
}

/**
 * Resolves once `redis` is ready, or after `timeoutMs` (or its first error): a
 * start waits briefly so that limits are shared from the first request, but
 * never fails for Redis, which the limiters can do without.
 */
export async function settleRedis(redis: Redis, timeoutMs = 2000): Promise<boolean> {
  if (redis.status === 'ready') return true;
  return new Promise((resolve) => {
    const done = (ready: boolean) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      redis.off('error', onError);
      resolve(ready);
    };
    const onReady = () => done(true);
    const onError = () => done(false);
    const timer = setTimeout(() => done(false), timeoutMs);
    redis.once('ready', onReady);
    redis.once('error', onError);
  });
}
