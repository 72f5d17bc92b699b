import type { Sql } from '../../db/sql.ts';
import type { FactorDeps } from '../second-factor/deps.ts';
import type { SessionLimits } from '../sessions/sessions.ts';
import type { AccessTokens } from '../tokens/access-tokens.ts';

/** What the account flows need: the flows that send mail, sessions, and second factors. */
export interface AccountDeps extends FactorDeps {
  sql: Sql;
  tokens: AccessTokens;
  limits: SessionLimits;
}
