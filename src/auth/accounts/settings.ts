import { requireStepUp } from '../second-factor/step-up.ts';
import type { User } from '../../generated/prisma/client.ts';
import { checkCurrentPassword } from './current-password.ts';
import type { AccountDeps } from './deps.ts';
import { normalizeName } from './rules.ts';
import type { SignedInViewer } from '../sessions/authenticate.ts';
import type { ClientInfo } from '../sessions/client.ts';

/** Sets the name; null or "" removes it, and leaving the argument out changes nothing. */
export async function updateName(
  deps: AccountDeps,
  viewer: SignedInViewer,
  name: string | null | undefined,
): Promise<User> {
  if (name === undefined) return viewer.user;
  return deps.prisma.user.update({ where: { id: viewer.user.id }, data: { name: normalizeName(name) } });
}

/** Deletes the account, its sessions and tokens, once the password is confirmed. The email is free again. */
export async function deleteAccount(
  deps: AccountDeps,
  viewer: SignedInViewer,
  input: { password: string; code?: string | null | undefined },
  client: ClientInfo,
): Promise<true> {
  await requireStepUp(deps, viewer, input.code, client);
  const { password } = input;
  await checkCurrentPassword(deps, viewer.user, password, 'password');
  await deps.prisma.user.delete({ where: { id: viewer.user.id } });
  await deps.audit.record({ type: 'ACCOUNT_DELETED', userId: viewer.user.id }, client);
  return true;
}
