import { Redis } from 'ioredis';
import type { Logger } from './logger.ts';

/**
 * A Redis client for shared rate-limit counters. Commands fail at once while
 * the connection is down (no queue), so the limiters fall back to memory
 * instead of making logins wait.
 */
export function connectRedis(url: string, logger: Logger): Redis {
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
