import type { Sql } from '../../db/sql.ts';
import type { User } from '../../generated/prisma/client.ts';
import type { SignInMethod } from '../method.ts';
import { factorsOf } from '../second-factor/factors.ts';
import { USER_COLUMN_COUNT, USER_COLUMNS, userOf } from './user-row.ts';

/** An account as a login reads it: the user, and what a challenge would offer it (none without a second factor). */
export type LoginAccount = User & { secondFactorOffers: string[] };

/** The statement, made once per list of methods: its text stays the same for the life of the process. */
const statements = new WeakMap<readonly SignInMethod[], { name: string; text: string }>();

function statement(methods: readonly SignInMethod[]) {
  let made = statements.get(methods);
  if (!made) {
    const enrolled = factorsOf(methods).map(({ factor }) => `(${factor.enrolledSql})`);
    made = {
      name: 'tollgate_login_account',
      text: `SELECT ${[USER_COLUMNS, ...enrolled].join(',\n                ')}
           FROM "User" u
          WHERE u.email = $1`,
    };
    statements.set(methods, made);
  }
  return made;
}

/**
 * The account with this (normalized) email and its second factors, or null: one
 * prepared statement, as every login makes it (a test holds it equal to Prisma's
 * rows, method by method).
 */
export async function findLoginAccount(
  deps: { sql: Sql; methods: readonly SignInMethod[] },
  email: string,
): Promise<LoginAccount | null> {
  const [row] = await deps.sql.rows({ ...statement(deps.methods), values: [email] });
  if (!row) return null;
  const enrolled = row.slice(USER_COLUMN_COUNT) as boolean[];
  const secondFactorOffers = factorsOf(deps.methods).flatMap(({ factor }, index) =>
    enrolled[index] ? factor.offers : [],
  );
  return { ...userOf(row.slice(0, USER_COLUMN_COUNT)), secondFactorOffers };
}
