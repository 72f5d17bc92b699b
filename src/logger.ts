import { createRequire } from 'node:module';
import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/**
 * Anything that can carry a credential is censored wherever it appears in a log
 * line, including inside a request's variables.
 */
const REDACTED_PATHS = [
  'password',
  'currentPassword',
  'newPassword',
  'passwordHash',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
  'authorization',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'variables',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.passwordHash',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.secret',
  '*.authorization',
  '*.variables',
];

/** `json`: one JSON object a line (for machines); `pretty`: one readable line an event (for a person at a terminal). */
export type LogFormat = 'json' | 'pretty';

export function createLogger(level: string, destination?: DestinationStream, format: LogFormat = 'json'): Logger {
  return pino(
    {
      level,
      base: { service: 'tollgate' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ?? (format === 'pretty' ? prettyStream() : undefined),
  );
}

/**
 * pino-pretty on this thread (so a line printed just before an exit is not
 * lost): the time, the level and the message on one line, then what else the
 * line holds, without the fields every line has. Loaded only when asked for:
 * production never reads it.
 */
function prettyStream(): DestinationStream {
  const require = createRequire(import.meta.url);
  const pretty = require('pino-pretty') as typeof import('pino-pretty');
  return pretty.build({
    colorize: true,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,service,component,mail',
    sync: true,
  });
}
