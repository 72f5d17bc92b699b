import type { Clock } from '../clock.ts';
import type { NamedLimit } from '../config/limits.ts';
import type { SettingsSlice } from '../config/slice.ts';
import type { DataEncryption } from '../crypto/data-encryption.ts';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { MailSettings } from '../mail/templates.ts';
import type { Audit } from './audit/audit.ts';
import type { AuthMethod } from './sessions/sessions.ts';
import type { ClientInfo } from './sessions/client.ts';

type Db = Prisma.TransactionClient;

/** What the kernel hands a method's hooks: the service's parts they may use. */
export interface MethodDeps {
  prisma: PrismaClient;
  clock: Clock;
  audit: Audit;
  mailer: Mailer;
  mail: MailSettings;
  /** Seals secrets at rest; undefined in production without DATA_ENCRYPTION_KEY. */
  encryption: DataEncryption | undefined;
}

/**
 * A way to prove who one is (a password, an authenticator app, a security key), as
 * the rest of the service needs to know it. The kernel (auth/) loops over the
 * methods in force (src/methods.ts) and never names one; a method keeps the
 * rest of itself (its ceremonies, its GraphQL fields, its mail) in its folder.
 */
export interface SignInMethod {
  /** Its name in the list, its settings and the logs: `password`. */
  readonly id: string;
  /** The `amr` values of a session it proved (one proved with a verified user adds `mfa`). */
  readonly amr: readonly AuthMethod[];
  /** How a notice says a sign-in was proved with it: "the password". */
  readonly words: string;
  /** Whether it proves who one is on its own (a first step), confirms it after one (a second factor), or both. */
  readonly steps: readonly ('first' | 'second')[];
  /** For a second factor: how the service knows an account has it, and what it takes to prove it. */
  readonly secondFactor?: SecondFactor;
  /** The settings it reads, parsed with the service's own (config.methods[id]). */
  readonly settings?: SettingsSlice<unknown>;
  /** Rate limits of its own (each a RATE_LIMIT_* setting), counted with `rateLimits.consume(name, …)`. */
  readonly limits?: readonly NamedLimit[];
  /** Deletes its rows that can never be used again (expired challenges); returns how many. */
  prune?(prisma: PrismaClient, now: Date): Promise<number>;
  /** Ends what it holds open for the account (half-done ceremonies) when every session of the account ends. */
  endAccountAccess?(tx: Db, userId: string, now: Date): Promise<void>;
  /** How many secrets of it the database holds sealed with DATA_ENCRYPTION_KEY (a start without the key refuses them). */
  sealedSecrets?(prisma: PrismaClient): Promise<number>;
  /** Registers its GraphQL fields on the schema builder: loaded by the schema, not by the kernel. */
  graphql?(): Promise<unknown>;
}

export interface SecondFactor {
  /** What a challenge or a step-up offers for it (`extensions.methods`): `RECOVERY_CODE`, say. */
  readonly offers: readonly string[];
  /** What a person is asked for at a second step: "Enter a code from your authenticator app, or a recovery code." */
  readonly prompt: string;
  /** What a person is asked before a change when the session's second factor is not recent (a step-up). */
  readonly stepUpPrompt: string;
  /** An SQL boolean over the user aliased `u`: the account has it. Part of the per-request and login statements. */
  readonly enrolledSql: string;
  /** The same as a Prisma select on User, and its reading of the row it selects. */
  readonly enrolledSelect: Prisma.UserSelect;
  isEnrolled(row: object): boolean;
  /** How many credentials of it the account holds (an admin may have to keep one). */
  count(db: Db, userId: string): Promise<number>;
  /** How many of them were set up at or after `since`. */
  countAddedSince(db: Db, userId: string, since: Date): Promise<number>;
  /**
   * Removes its credentials set up at or after `since` (every one without it);
   * returns how a mail names each removed: `the security key "Laptop"`.
   */
  remove(db: Db, userId: string, since?: Date): Promise<string[]>;
  /**
   * Takes a code of it (an authenticator app's, a recovery code) at a challenge or a step-up,
   * used up by one conditional statement: true when it was this method's and good.
   */
  useCode?(deps: MethodDeps, user: { id: string; email: string }, code: string, client: ClientInfo): Promise<boolean>;
}
