import type { AuthEventType, PrismaClient } from '../../generated/prisma/client.ts';
import type { Clock } from '../../clock.ts';
import type { Logger } from '../../logger.ts';
import { type ClientInfo, storedUserAgent } from '../sessions/client.ts';

export type { AuthEventType };

export interface AuthEventInput {
  type: AuthEventType;
  userId?: string | null | undefined;
  /** Who acted, when not the user (an admin). */
  actorId?: string | undefined;
  sessionId?: string | null | undefined;
  /** Small facts only; never a password or a token. */
  detail?: Record<string, string | number | boolean> | undefined;
}

/** The columns of an AuthEvent row, for a statement that writes the event beside what it describes. */
export interface AuthEventRow {
  type: AuthEventType;
  userId: string | null;
  ip: string | null;
  userAgent: string | null;
  detail: Record<string, string | number | boolean> | null;
  createdAt: Date;
}

export interface Audit {
  record(event: AuthEventInput, client?: ClientInfo): Promise<void>;
  /** The row of `event`, counted as recorded: the caller writes it in the same statement as its change. */
  rowOf(event: Omit<AuthEventInput, 'actorId' | 'sessionId'>, client?: ClientInfo): AuthEventRow;
}

/**
 * Writes audit events to the AuthEvent table. A failed write is logged and does
 * not fail the request it describes: losing a login to an audit hiccup would be
 * worse than losing the line. `onEvent` hears of every event, written or not
 * (the metrics count them).
 */
export function createAudit(
  prisma: PrismaClient,
  clock: Clock,
  logger: Logger,
  onEvent?: (type: AuthEventType) => void,
): Audit {
  return {
    rowOf(event, client) {
      onEvent?.(event.type);
      return {
        type: event.type,
        userId: event.userId ?? null,
        ip: client?.ip ?? null,
        userAgent: storedUserAgent(client ?? {}),
        detail: event.detail ?? null,
        createdAt: clock.now(),
      };
    },
    async record(event, client) {
      onEvent?.(event.type);
      try {
        await prisma.authEvent.create({
          data: {
            type: event.type,
            userId: event.userId ?? null,
            actorId: event.actorId ?? null,
            sessionId: event.sessionId ?? null,
            ip: client?.ip ?? null,
            userAgent: storedUserAgent(client ?? {}),
            ...(event.detail ? { detail: event.detail } : {}),
            createdAt: clock.now(),
          },
        });
      } catch (error) {
        logger.error({ err: error, event: event.type }, 'could not write an audit event');
      }
    },
  };
}

/** Deletes audit events older than the retention; returns how many. */
export async function pruneAuthEvents(prisma: PrismaClient, retentionSeconds: number, now: Date): Promise<number> {
  const { count } = await prisma.authEvent.deleteMany({
    where: { createdAt: { lt: new Date(now.getTime() - retentionSeconds * 1000) } },
  });
  return count;
}
