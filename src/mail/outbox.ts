import type { DataEncryption } from '../crypto/data-encryption.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { MailMessage } from './message.ts';

/** A message kept in the outbox, claimed by this instance. */
export interface OutboxEntry {
  id: string;
  kind: string;
  /** Undefined when it cannot be opened: sealed with a key DATA_ENCRYPTION_KEY no longer holds. */
  message: MailMessage | undefined;
  /** How many instances took it over before this one; 0 for a message this instance wrote. */
  recoveries: number;
}

/**
 * Where mail waits until it is sent or given up on, so that a crash loses none:
 * a message is written before the request that caused it answers, and removed
 * once settled. Each is leased to the instance sending it; when a lease ends
 * with the message still there, that instance stopped, and another takes it.
 */
export interface MailOutbox {
  /** Keeps `message`, leased to this instance until `leasedUntil`; resolves to its id. */
  add(message: MailMessage, now: Date, leasedUntil: Date): Promise<string>;
  /** Forgets a message that was sent or given up on. */
  remove(id: string): Promise<void>;
  /** Ends this instance's lease: the next one to look sends the message. */
  release(id: string, now: Date): Promise<void>;
  /**
   * Leases to this instance, until `leasedUntil`, up to `limit` messages whose
   * lease ended by `now`, or every message when `all` (the database is this
   * instance's alone). Two instances never claim one message.
   */
  claim(options: { now: Date; leasedUntil: Date; limit: number; all: boolean }): Promise<OutboxEntry[]>;
}

/** The outbox in the database, each message sealed with the data encryption key: a link in it may hold a token. */
export function databaseOutbox(prisma: PrismaClient, encryption: DataEncryption): MailOutbox {
  const seal = (message: MailMessage) => encryption.seal(new TextEncoder().encode(JSON.stringify(message)));
  const open = (sealed: Uint8Array): MailMessage | undefined => {
    try {
      return JSON.parse(encryption.open(sealed).toString('utf8')) as MailMessage;
    } catch {
      return undefined;
    }
  };

  return {
    async add(message, now, leasedUntil) {
      const row = await prisma.mailOutbox.create({
        data: { kind: message.kind, sealed: seal(message), createdAt: now, leasedUntil },
        select: { id: true },
      });
      return row.id;
    },
    async remove(id) {
      await prisma.mailOutbox.deleteMany({ where: { id } });
    },
    async release(id, now) {
      await prisma.mailOutbox.updateMany({ where: { id }, data: { leasedUntil: now } });
    },
    async claim({ now, leasedUntil, limit, all }) {
      const rows = await prisma.$queryRaw<{ id: string; kind: string; sealed: Uint8Array; recoveries: number }[]>`
        UPDATE "MailOutbox" SET "leasedUntil" = ${leasedUntil}::timestamptz, "recoveries" = "recoveries" + 1
        WHERE "id" IN (
          SELECT "id" FROM "MailOutbox"
          WHERE ${all} OR "leasedUntil" <= ${now}::timestamptz
          ORDER BY "createdAt"
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)
        RETURNING "id", "kind", "sealed", "recoveries"`;
      return rows.map((row) => ({ id: row.id, kind: row.kind, message: open(row.sealed), recoveries: row.recoveries }));
    },
  };
}
