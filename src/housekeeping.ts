import { pruneEndedSessions } from './auth/prune.ts';
import type { Services } from './services.ts';

const PRUNE_EVERY_MS = 60 * 60 * 1000;

/** Prunes ended sessions now and then hourly; returns a function that stops it. */
export function startHousekeeping(services: Services): () => void {
  const run = async () => {
    try {
      const pruned = await pruneEndedSessions(services.prisma, services.limits);
      if (pruned.sessions + pruned.refreshTokens > 0) services.logger.info({ pruned }, 'pruned ended sessions');
    } catch (error) {
      services.logger.warn({ err: error }, 'pruning ended sessions failed; retrying in an hour');
    }
  };
  void run();
  const timer = setInterval(() => void run(), PRUNE_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
