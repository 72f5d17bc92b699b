import { badUserInput } from '../../errors.ts';
import type { User } from '../../generated/prisma/client.ts';
import type { PasswordHasher } from './password-hasher.ts';
import { checkPasswordLength } from './rules.ts';

/** A signed-in user confirming a change with the account's password; BAD_USER_INPUT on `field` when it is wrong. */
export async function checkCurrentPassword(
  deps: { hasher: PasswordHasher },
  user: Pick<User, 'passwordHash'>,
  password: string,
  field = 'password',
): Promise<void> {
  checkPasswordLength(password, field);
  if (!(await deps.hasher.verify(password, user.passwordHash))) {
    throw badUserInput(field, 'The password is not correct.');
  }
}
