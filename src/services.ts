import type { AccountDeps } from './auth/accounts/deps.ts';
import type { AuthenticateDeps } from './auth/sessions/authenticate.ts';
import type { RefreshDeps } from './auth/sessions/refresh.ts';
import type { Clock } from './clock.ts';
import type { Logger } from './logger.ts';
import type { KeptMessage } from './mail/transports.ts';
import type { Metrics } from './metrics.ts';
import type { PublicUrl } from './public-url.ts';

// What a request needs, built once at start by build-services.ts.

/** Everything a request needs, built once at start. */
export interface Services extends AccountDeps, AuthenticateDeps, RefreshDeps {
  logger: Logger;
  clock: Clock;
  /** This instance's metrics; undefined when METRICS is off. */
  metrics: Metrics | undefined;
  /** The last messages of the log transport, for the development mail page; undefined with SMTP. */
  keptMail: (() => KeptMessage[]) | undefined;
  /** Where the service is reached (told the port once it listens). */
  publicUrl: PublicUrl;
}
