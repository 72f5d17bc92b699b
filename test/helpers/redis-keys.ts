import { Redis } from 'ioredis';

/** Deletes the shared Redis's `tollgate:` keys that `mine` picks: a test run cleans up after itself only. */
export async function removeRateLimitKeys(redisUrl: string, mine: (key: string) => boolean): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', 'tollgate:*', 'COUNT', 1000);
      const doomed = keys.filter(mine);
      if (doomed.length > 0) await redis.del(...doomed);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}
