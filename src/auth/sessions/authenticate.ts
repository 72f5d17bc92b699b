import type { Clock } from '../../clock.ts';
import type { SignInMethod } from '../method.ts';
import type { Sql } from '../../db/sql.ts';
import type { Session, User } from '../../generated/prisma/client.ts';
import type { TokenRefusal } from '../../errors.ts';
import { enrolledSql } from '../second-factor/factors.ts';
import { findLiveSession } from './live-session.ts';
import type { SessionLimits } from './sessions.ts';
import type { AccessTokens } from '../tokens/access-tokens.ts';

/** Who is calling: nobody, someone whose token was refused (and why), or a signed-in user. */
export type Viewer =
  | { kind: 'anonymous' }
  | { kind: 'refused'; reason: TokenRefusal }
  | {
      kind: 'user';
      user: User;
      /** Also how and when it was authenticated: `amr`, `authTime`, `secondFactorAt`. */
      session: Session;
      /** Whether the account has a second factor. */
      secondFactor: boolean;
    };

export type SignedInViewer = Extract<Viewer, { kind: 'user' }>;

export const ANONYMOUS: Viewer = Object.freeze({ kind: 'anonymous' });

export interface AuthenticateDeps {
  clock: Clock;
  sql: Sql;
  methods: readonly SignInMethod[];
  tokens: AccessTokens;
  limits: SessionLimits;
}

/** Checks an access token and the session it names. Never throws for a bad token. */
export async function authenticate(deps: AuthenticateDeps, accessToken: string): Promise<Viewer> {
  const check = deps.tokens.verify(accessToken);
  if (!check.ok) return { kind: 'refused', reason: check.reason };
  const live = await findLiveSession(
    { sql: deps.sql, enrolledSql: enrolledSql(deps.methods) },
    check.claims,
    deps.limits,
    deps.clock.now(),
  );
  if (!live) return { kind: 'refused', reason: 'TOKEN_REVOKED' };
  return { kind: 'user', ...live };
}
