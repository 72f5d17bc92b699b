import type { Session, User } from '../../generated/prisma/client.ts';
import type { AccessTokens } from '../tokens/access-tokens.ts';
import { type ClientInfo, storedUserAgent } from './client.ts';
import { networkOf } from './device.ts';

/**
 * An RFC 8176 authentication method reference, as a session and its access
 * tokens carry them in `amr`: `pwd`, `otp`, `hwk`, `mfa`, and those of methods to come.
 */
export type AuthMethod = string;

export interface SessionLimits {
  /** A session whose refresh token goes unused this long ends. */
  refreshTokenTtlSeconds: number;
  /** No session outlives this, counted from login. */
  sessionMaxAgeSeconds: number;
  /** How long a just-retired refresh token still works (a concurrent refresh); 0 turns it off. */
  refreshReuseGraceSeconds: number;
}

/** What a successful sign-up, login or refresh hands back: a session's tokens and its user. */
export interface SignedIn {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken: string;
  user: User;
  sessionId: string;
}

/** The fields of a new session (created inside the caller's write, so no half session is left). */
export function newSessionData(
  limits: SessionLimits,
  client: ClientInfo,
  refreshTokenHash: Uint8Array<ArrayBuffer>,
  now: Date,
  /** How the user authenticated: the first step's `amr`, then a second factor's. */
  amr: readonly AuthMethod[],
  /** Whether that proved a second factor: the session starts with it recent. */
  provedSecondFactor = false,
) {
  return {
    createdAt: now,
    lastUsedAt: now,
    amr: [...amr],
    authTime: now,
    secondFactorAt: provedSecondFactor ? now : null,
    expiresAt: new Date(now.getTime() + limits.sessionMaxAgeSeconds * 1000),
    userAgent: storedUserAgent(client),
    ip: client.ip ?? null,
    network: networkOf(client.ip),
    refreshTokens: { create: { tokenHash: refreshTokenHash, createdAt: now } },
  };
}

/** The pair for a session: its access token carries how and when the session was authenticated. */
export function signedIn(
  tokens: AccessTokens,
  user: User,
  session: Pick<Session, 'id' | 'amr' | 'authTime'>,
  refreshToken: string,
  options: { justAuthenticated?: boolean } = {},
): SignedIn {
  const { accessToken, expiresIn } = tokens.issue({
    userId: user.id,
    sessionId: session.id,
    amr: session.amr,
    authTime: session.authTime,
    // A session's first token is issued at the instant it authenticated: `iat` equals `auth_time`.
    ...(options.justAuthenticated ? { issuedAt: session.authTime } : {}),
  });
  return { accessToken, tokenType: 'Bearer', expiresIn, refreshToken, user, sessionId: session.id };
}
