import type { Clock } from '../../clock.ts';
import type { PrismaClient, User } from '../../generated/prisma/client.ts';
import type { Audit } from '../audit/audit.ts';
import type { AccessTokens } from '../tokens/access-tokens.ts';
import { newOpaqueToken } from '../tokens/opaque-tokens.ts';
import {
  type AuthMethod,
  type ClientInfo,
  newSessionData,
  type SessionLimits,
  type SignedIn,
  signedIn,
} from './sessions.ts';

export interface StartSessionDeps {
  prisma: PrismaClient;
  clock: Clock;
  tokens: AccessTokens;
  limits: SessionLimits;
  audit: Audit;
}

/** A new session for a user who just proved who they are, `amr` saying how; audited as a login. */
export async function startSession(
  deps: StartSessionDeps,
  user: User,
  client: ClientInfo,
  amr: readonly AuthMethod[],
): Promise<SignedIn> {
  const refresh = newOpaqueToken();
  const session = await deps.prisma.session.create({
    data: { ...newSessionData(deps.limits, client, refresh.hash, deps.clock.now(), amr), userId: user.id },
    select: { id: true, amr: true, authTime: true },
  });
  await deps.audit.record(
    { type: 'LOGIN_SUCCEEDED', userId: user.id, sessionId: session.id, detail: { amr: amr.join(' ') } },
    client,
  );
  return signedIn(deps.tokens, user, session, refresh.token, { justAuthenticated: true });
}
