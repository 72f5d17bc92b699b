import { pruneAuthEvents } from './auth/audit/audit.ts';
import { pruneLoginChallenges } from './auth/second-factor/challenge.ts';
import { pruneOneTimeTokens } from './auth/one-time/one-time-tokens.ts';
import { pruneEndedSessions } from './auth/sessions/prune.ts';
import type { Services } from './services.ts';

const PRUNE_EVERY_MS = 60 * 60 * 1000;

/**
 * Prunes ended sessions, old audit events and the rows that can never be used
 * again (the methods' own among them) now and then hourly; returns a
 * function that stops it. Each run is background work, so shutdown waits for
 * one in flight rather than closing the database under it.
 */
export function startHousekeeping(services: Services, auditRetentionSeconds: number): () => void {
  const run = async () => {
    try {
      const pruned: Record<string, number> = {
        ...(await pruneEndedSessions(services.prisma, services.limits, services.clock.now())),
        authEvents: await pruneAuthEvents(services.prisma, auditRetentionSeconds, services.clock.now()),
        oneTimeTokens: await pruneOneTimeTokens(services.prisma, services.clock.now()),
        loginChallenges: await pruneLoginChallenges(services, services.clock.now()),
      };
      for (const method of services.methods) {
        if (method.prune) pruned[method.id] = await method.prune(services.prisma, services.clock.now());
      }
      if (Object.values(pruned).some((count) => count > 0)) services.logger.info({ pruned }, 'pruned old rows');
    } catch (error) {
      services.logger.warn({ err: error }, 'pruning failed; retrying in an hour');
    }
  };
  return repeatInBackground(services, 'housekeeping', PRUNE_EVERY_MS, run);
}

const RECOVER_MAIL_EVERY_MS = 60 * 1000;

/**
 * Sends mail that an instance kept in the outbox and stopped without sending:
 * now, then every minute. `exclusive`: no other process uses the database, so
 * every kept message is left over from before this start, whatever its lease.
 */
export function startMailRecovery(services: Services, exclusive: boolean): () => void {
  return repeatInBackground(
    services,
    'mail-recovery',
    RECOVER_MAIL_EVERY_MS,
    () => services.mailer.recover(false),
    () => services.mailer.recover(exclusive),
  );
}

/** Runs `first` now and `next` every `everyMs`, each as background work; returns a function that stops it. */
function repeatInBackground(
  services: Services,
  name: string,
  everyMs: number,
  next: () => Promise<void>,
  first = next,
): () => void {
  services.background.run(name, first);
  const timer = setInterval(() => services.background.run(name, next), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
