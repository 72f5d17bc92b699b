import type { SignedInViewer, Viewer } from '../auth/sessions/authenticate.ts';
import type { ClientInfo } from '../auth/sessions/client.ts';
import type { Logger } from '../logger.ts';
import type { Services } from '../services.ts';

/** What every resolver receives: built per request by the server's context factory. */
export interface Context {
  services: Services;
  viewer: Viewer;
  client: ClientInfo;
  /** This request's id, as in its `X-Request-Id` response header. */
  requestId: string;
  /** The service logger with `requestId` on every line (also `services.logger` here): log through it. */
  logger: Logger;
}

/** The context of a field that requires a signed-in user. */
export interface SignedInContext extends Context {
  viewer: SignedInViewer;
}
