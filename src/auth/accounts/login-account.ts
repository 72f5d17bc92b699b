import type { Sql } from '../../db/sql.ts';
import type { User } from '../../generated/prisma/client.ts';
import { USER_COLUMN_COUNT, USER_COLUMNS, userOf } from './user-row.ts';

/** An account as a login reads it: the user, and what `methodsOf` needs of its second factors. */
export type LoginAccount = User & {
  totp: { confirmedAt: Date | null } | null;
  _count: { passkeys: number };
};

const LOGIN_ACCOUNT_QUERY = {
  name: 'tollgate_login_account',
  text: `SELECT ${USER_COLUMNS},
                f."userId" IS NOT NULL, f."confirmedAt",
                (SELECT count(*)::int FROM "Passkey" p WHERE p."userId" = u.id)
           FROM "User" u LEFT JOIN "TotpFactor" f ON f."userId" = u.id
          WHERE u.email = $1`,
};

/**
 * The account with this (normalized) email and its second factors, or null: one
 * prepared statement, as every login makes it (a test holds it equal to Prisma's
 * rows).
 */
export async function findLoginAccount(sql: Sql, email: string): Promise<LoginAccount | null> {
  const [row] = await sql.rows({ ...LOGIN_ACCOUNT_QUERY, values: [email] });
  if (!row) return null;
  const [hasTotp, confirmedAt, passkeys] = row.slice(USER_COLUMN_COUNT) as [boolean, Date | null, number];
  return {
    ...userOf(row.slice(0, USER_COLUMN_COUNT)),
    totp: hasTotp ? { confirmedAt } : null,
    _count: { passkeys },
  };
}
