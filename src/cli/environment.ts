import type { ClientInfo } from '../auth/sessions/client.ts';
import { loadSettings } from '../settings.ts';
import { DataDirInUseError } from '../db/embedded/data-dir-lock.ts';
import { createLogger } from '../logger.ts';
import type { Services } from '../services.ts';
import { CliError } from './errors.ts';
import { StartFailure } from '../start-failure.ts';
import { openTollgate } from '../tollgate.ts';

/** How the command line appears in the audit trail: no address, and this user agent. */
export const CLI_CLIENT: ClientInfo = { userAgent: 'tollgate-admin' };

export interface Environment {
  services: Services;
  close(): Promise<void>;
}

/**
 * The service's own settings, database (migrations applied) and services, as
 * `npm start` builds them, without listening. Its log goes to stderr, warnings
 * only unless LOG_LEVEL is set, so stdout holds only the command's results.
 */
export async function openEnvironment(env: NodeJS.ProcessEnv = process.env): Promise<Environment> {
  const loaded = loadSettings(env);
  if (!loaded.ok) throw new CliError(loaded.errors.join('\n'));
  const { config } = loaded;
  const logger = createLogger(env.LOG_LEVEL ? config.log.level : 'warn', process.stderr);
  try {
    const tollgate = await openTollgate(config, { logger });
    return { services: tollgate.services, close: () => tollgate.close() };
  } catch (error) {
    const cause = error instanceof StartFailure ? error.cause : error;
    if (cause instanceof DataDirInUseError) throw new CliError(`${cause.message}: stop the service first.`);
    // Already one line naming the setting: what the service itself says when it cannot start.
    if (error instanceof StartFailure) throw new CliError(error.message);
    const { url, dataDir } = config.database;
    throw new CliError(
      `Could not open the database (${url ? 'DATABASE_URL' : `embedded, in ${dataDir}`}): ${(error as Error).message}`,
    );
  }
}
