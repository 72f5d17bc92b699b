import type { Role, User } from '../../generated/prisma/client.ts';

// A User read by plain SQL beside Prisma (the hottest lookups): the columns of
// table alias `u`, in the order `userOf` reads them. Tests hold the result equal
// to Prisma's row.

export const USER_COLUMNS = `u.id, u.email, u."passwordHash", u.name, u.role, u."createdAt", u."updatedAt",
                u."emailVerifiedAt", u."disabledAt", u."passwordResetRequiredAt", u."emailChangedAt"`;
export const USER_COLUMN_COUNT = 11;

type UserRow = [
  id: string,
  email: string,
  passwordHash: string,
  name: string | null,
  role: Role,
  createdAt: Date,
  updatedAt: Date,
  emailVerifiedAt: Date | null,
  disabledAt: Date | null,
  passwordResetRequiredAt: Date | null,
  emailChangedAt: Date | null,
];

/** The User in `values`, which start with USER_COLUMNS. */
export function userOf(values: readonly unknown[]): User {
  const [
    id,
    email,
    passwordHash,
    name,
    role,
    createdAt,
    updatedAt,
    emailVerifiedAt,
    disabledAt,
    passwordResetRequiredAt,
    emailChangedAt,
  ] = values as UserRow;
  return {
    id,
    email,
    passwordHash,
    name,
    role,
    createdAt,
    updatedAt,
    emailVerifiedAt,
    disabledAt,
    passwordResetRequiredAt,
    emailChangedAt,
  };
}
