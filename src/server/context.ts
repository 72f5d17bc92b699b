import type { IncomingMessage } from 'node:http';
import type { YogaInitialContext } from 'graphql-yoga';
import { ANONYMOUS, authenticate, type SignedInViewer, type Viewer } from '../auth/authenticate.ts';
import type { ClientInfo } from '../auth/sessions.ts';
import type { Services } from '../services.ts';

export interface Context {
  services: Services;
  viewer: Viewer;
  client: ClientInfo;
}

/** The context of a field that requires a signed-in user. */
export interface SignedInContext extends Context {
  viewer: SignedInViewer;
}

/** What the Node HTTP adapter adds to each request; absent under `yoga.fetch`. */
export interface ServerContext {
  req?: IncomingMessage;
}

/**
 * Reads `Authorization` into a viewer. Never throws: a bad or stale token
 * becomes a refusal that only fields needing a user report, so `signUp` and
 * `login` work whatever header the client still sends.
 */
export function createContextFactory(services: Services) {
  return async ({ request, req }: YogaInitialContext & ServerContext): Promise<Context> => {
    const credential = readBearerToken(request.headers.get('authorization'));
    const viewer =
      credential.kind === 'none'
        ? ANONYMOUS
        : credential.kind === 'malformed'
          ? ({ kind: 'refused', reason: 'TOKEN_INVALID' } as const)
          : await authenticate(services, credential.token);
    return {
      services,
      viewer,
      client: {
        ip: req?.socket.remoteAddress,
        userAgent: request.headers.get('user-agent') ?? undefined,
      },
    };
  };
}

type Credential = { kind: 'none' } | { kind: 'malformed' } | { kind: 'bearer'; token: string };

/** RFC 6750: `Bearer <token>`, the scheme name matched without regard to case. */
export function readBearerToken(header: string | null): Credential {
  if (header === null || header.trim() === '') return { kind: 'none' };
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  return match?.[1] ? { kind: 'bearer', token: match[1] } : { kind: 'malformed' };
}
