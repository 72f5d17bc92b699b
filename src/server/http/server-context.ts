import type { IncomingMessage } from 'node:http';

/** What the Node HTTP adapter adds to each request; absent under `yoga.fetch`. */
export interface ServerContext {
  req?: IncomingMessage;
  /** Set by `useRequestId` when the request arrives. */
  requestId?: string;
}
