import type { IncomingMessage } from 'node:http';
import type { YogaInitialContext } from 'graphql-yoga';
import proxyAddr from 'proxy-addr';
import type { Config } from '../../config/config.ts';
import { ANONYMOUS, authenticate, type Viewer } from '../../auth/sessions/authenticate.ts';
import type { Context } from '../../schema/context.ts';
import type { Services } from '../../services.ts';
import { maskAndLog } from '../http/mask-error.ts';
import { REQUEST_ID_HEADER, requestIdFrom } from '../http/request-id.ts';
import { requestLogger } from '../http/request-logger.ts';
import type { ServerContext } from '../http/server-context.ts';

/**
 * Reads `Authorization` into a viewer. Never throws: a bad or stale token
 * becomes a refusal that only fields needing a user report, so `signUp` and
 * `login` work whatever header the client still sends.
 */
export function createContextFactory(services: Services, trustProxy: Config['trustProxy']) {
  const clientIp = clientIpResolver(trustProxy);
  return async ({ request, req, requestId: id }: YogaInitialContext & ServerContext): Promise<Context> => {
    const requestId = id ?? requestIdFrom(request.headers.get(REQUEST_ID_HEADER));
    const logger = requestLogger(services.logger, requestId);
    // Resolvers hand `services` to src/auth, whose log lines then carry the request's id too.
    const scoped: Services = { ...services, logger };
    const credential = readBearerToken(request.headers.get('authorization'));
    let viewer: Viewer = ANONYMOUS;
    if (credential.kind === 'malformed') viewer = { kind: 'refused', reason: 'TOKEN_INVALID' };
    if (credential.kind === 'bearer') {
      try {
        viewer = await authenticate(scoped, credential.token);
      } catch (error) {
        // The database failed, say: logged here with the request's id, rather than by Yoga without it.
        throw maskAndLog(error, logger);
      }
    }
    return {
      services: scoped,
      requestId,
      logger,
      viewer,
      client: {
        ip: req && clientIp(req),
        userAgent: request.headers.get('user-agent') ?? undefined,
      },
    };
  };
}

/**
 * The socket's address, or with TRUST_PROXY the first X-Forwarded-For entry
 * added by an untrusted hop: a client cannot choose its own address by sending
 * the header itself.
 */
function clientIpResolver(trustProxy: Config['trustProxy']): (req: IncomingMessage) => string | undefined {
  if (trustProxy === undefined) return (req) => req.socket.remoteAddress;
  const trust =
    typeof trustProxy === 'number'
      ? (_address: string, hop: number) => hop < trustProxy
      : proxyAddr.compile([...trustProxy]);
  return (req) => proxyAddr(req, trust);
}

type Credential = { kind: 'none' } | { kind: 'malformed' } | { kind: 'bearer'; token: string };

/** RFC 6750: `Bearer <token>`, the scheme name matched without regard to case. */
export function readBearerToken(header: string | null): Credential {
  if (header === null || header.trim() === '') return { kind: 'none' };
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  return match?.[1] ? { kind: 'bearer', token: match[1] } : { kind: 'malformed' };
}
