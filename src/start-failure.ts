import { DataDirInUseError } from './db/embedded/data-dir-lock.ts';

/**
 * Why the service could not start, as one line that names the setting to look
 * at and what is wrong with it (`PORT: 4000 is in use …`): what a person
 * starting it needs, where a stack trace would bury it. The error it comes from
 * stays its `cause`, for the log at LOG_LEVEL=debug.
 */
export class StartFailure extends Error {
  override readonly name = 'StartFailure';
  constructor(
    readonly setting: string,
    detail: string,
    cause: unknown,
  ) {
    super(`${setting}: ${detail}`, { cause });
  }
}

type SystemError = Error & { code?: string; address?: string; port?: number };

const codeOf = (error: unknown) => (error as SystemError | undefined)?.code;
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Where a connection URL points, without its credentials: `host:port`. */
function whereOf(url: string, defaultPort: number): { where: string; url: URL | undefined } {
  try {
    const parsed = new URL(url);
    return { where: `${parsed.hostname}:${parsed.port || defaultPort}`, url: parsed };
  } catch {
    return { where: 'the server it names', url: undefined };
  }
}

/** Why a connection to `where` failed, in a few words a person can act on. */
function connectionProblem(error: unknown, where: string): string | undefined {
  switch (codeOf(error)) {
    case 'ECONNREFUSED':
      return `cannot connect to ${where} (connection refused): is the server running there?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot connect to ${where} (no such host)`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `cannot connect to ${where} (no answer)`;
    case 'ECONNRESET':
      return `cannot connect to ${where} (the connection was closed)`;
    default:
      return /timeout|timed out/i.test(messageOf(error)) ? `cannot connect to ${where} (no answer in time)` : undefined;
  }
}

/** The database could not be opened: the embedded one (DATA_DIR) or DATABASE_URL's. */
export function databaseFailure(error: unknown, databaseUrl: string | undefined): StartFailure {
  if (error instanceof StartFailure) return error;
  if (!databaseUrl) {
    const detail = error instanceof DataDirInUseError ? messageOf(error) : `the embedded database: ${messageOf(error)}`;
    return new StartFailure('DATA_DIR', detail, error);
  }
  const { where, url } = whereOf(databaseUrl, 5432);
  const database = url?.pathname.slice(1) || 'postgres';
  const user = url ? decodeURIComponent(url.username) || 'the default user' : 'its user';
  const code = codeOf(error);
  const detail =
    connectionProblem(error, where) ??
    (code === '3D000'
      ? `the database "${database}" does not exist on ${where}: create it, or name another`
      : code === '28P01' || code === '28000'
        ? `${where} does not let ${user} in (${messageOf(error)})`
        : `${where}: ${messageOf(error)}`);
  return new StartFailure('DATABASE_URL', detail, error);
}

/** The port could not be listened on: PORT's, or METRICS_PORT's. */
export function listenFailure(error: unknown, setting: 'PORT' | 'METRICS_PORT', host: string, port: number) {
  const detail =
    codeOf(error) === 'EADDRINUSE'
      ? `${port} is in use on ${host}: another process listens there; stop it, or choose another ${setting}`
      : codeOf(error) === 'EACCES'
        ? `${port} on ${host} needs privileges this process does not have: choose a ${setting} above 1023`
        : codeOf(error) === 'EADDRNOTAVAIL' || codeOf(error) === 'ENOTFOUND'
          ? `cannot listen on ${host}: it is no address of this machine (HOST)`
          : `cannot listen on ${host}:${port}: ${messageOf(error)}`;
  return new StartFailure(setting, detail, error);
}
