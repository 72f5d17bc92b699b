import { resetSecondFactor } from '../auth/second-factor/admin-reset.ts';
import { createUser, revokeUserSessions, setRole, setUserDisabled } from '../auth/accounts/admin.ts';
import { normalizeEmail } from '../auth/accounts/rules.ts';
import type { User } from '../generated/prisma/client.ts';
import type { Services } from '../services.ts';
import type { Command } from './args.ts';
import { CLI_CLIENT } from './environment.ts';
import { CliError } from './errors.ts';
import { formatUserTable, listUsers } from './list-users.ts';

type DatabaseCommand = Exclude<Command, { name: 'help' }>;

/**
 * Runs one command through the same auth functions the API calls, with no
 * acting user (null). Returns what to print on stdout. `password` is only
 * for create-user.
 */
export async function runCommand(services: Services, command: DatabaseCommand, password?: string): Promise<string> {
  switch (command.name) {
    case 'create-user': {
      if (password === undefined) throw new Error('create-user needs a password');
      const input = {
        email: command.email,
        name: command.userName,
        password,
        role: command.admin ? 'ADMIN' : 'USER',
      } as const;
      const user = await createUser(services, null, input, CLI_CLIENT);
      return `Created ${user.email} (${user.role}), id ${user.id}.\n`;
    }
    case 'promote':
    case 'demote': {
      const user = await userByEmail(services, command.email);
      const updated = await setRole(services, null, user.id, command.name === 'promote' ? 'ADMIN' : 'USER', CLI_CLIENT);
      return `${updated.email} is now ${updated.role}.\n`;
    }
    case 'revoke-sessions': {
      const user = await userByEmail(services, command.email);
      const ended = await revokeUserSessions(services, null, user.id, CLI_CLIENT);
      return `Ended ${ended} session${ended === 1 ? '' : 's'} of ${user.email}.\n`;
    }
    case 'disable':
    case 'enable': {
      const user = await userByEmail(services, command.email);
      const updated = await setUserDisabled(services, null, user.id, command.name === 'disable', CLI_CLIENT);
      return `${updated.email} is now ${updated.disabledAt ? 'disabled: every session ended' : 'enabled'}.\n`;
    }
    case 'reset-second-factor': {
      const user = await userByEmail(services, command.email);
      await resetSecondFactor(services, null, user.id, CLI_CLIENT);
      return `${user.email} has no second factor now: it signs in with its password alone.\n`;
    }
    case 'list': {
      const rows = await listUsers(services);
      return command.json ? `${JSON.stringify(rows, null, 2)}\n` : formatUserTable(rows);
    }
  }
}

async function userByEmail(services: Services, email: string): Promise<User> {
  const normalized = normalizeEmail(email);
  const user = await services.prisma.user.findUnique({ where: { email: normalized } });
  if (!user) throw new CliError(`No user has the email ${normalized}.`);
  return user;
}
