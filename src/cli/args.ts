import { parseArgs } from 'node:util';

/** A mistake in the command line itself: the usage is shown with it. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type Command =
  | { name: 'help' }
  | { name: 'create-user'; email: string; userName: string | undefined; admin: boolean }
  | { name: 'promote' | 'demote' | 'revoke-sessions' | 'disable' | 'enable' | 'reset-second-factor'; email: string }
  | { name: 'list'; json: boolean };

const OPTIONS = {
  email: { type: 'string' },
  name: { type: 'string' },
  admin: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type CommandName = Exclude<Command['name'], 'help'>;
type OptionName = keyof typeof OPTIONS;

const ALLOWED: Record<CommandName, readonly OptionName[]> = {
  'create-user': ['email', 'name', 'admin'],
  promote: ['email'],
  demote: ['email'],
  'revoke-sessions': ['email'],
  disable: ['email'],
  'reset-second-factor': ['email'],
  enable: ['email'],
  list: ['json'],
};

const isCommandName = (name: string): name is CommandName => Object.hasOwn(ALLOWED, name);

const parseOptions = (argv: readonly string[]) =>
  parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });

/** Reads `argv` (the arguments after the script) into one command, or throws a UsageError. */
export function parseCommand(argv: readonly string[]): Command {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [name, ...extra] = positionals;
  if (values.help || name === 'help') return { name: 'help' };
  if (name === undefined) throw new UsageError('No command given.');
  if (!isCommandName(name)) throw new UsageError(`Unknown command "${name}".`);
  if (extra.length > 0) throw new UsageError(`Unexpected argument "${extra[0]}".`);
  for (const option of Object.keys(values) as OptionName[]) {
    if (!ALLOWED[name].includes(option)) throw new UsageError(`${name} does not take --${option}.`);
  }

  if (name === 'list') return { name, json: values.json ?? false };
  if (values.email === undefined) throw new UsageError(`${name} needs --email <address>.`);
  if (name === 'create-user') return { name, email: values.email, userName: values.name, admin: values.admin ?? false };
  return { name, email: values.email };
}

export const USAGE = `Usage: npm run admin -- <command> [options]

Commands:
  create-user --email <email> [--name <name>] [--admin]
                        Creates an account (an ADMIN with --admin). The password is
                        asked for in a terminal, or read from the first line of
                        standard input.
  promote --email <email>          Makes the user an ADMIN.
  demote --email <email>           Makes the user a USER.
  revoke-sessions --email <email>  Ends every session of the user at once.
  disable --email <email>          Disables the account: it can no longer sign in,
                                   and every session ends at once.
  enable --email <email>           Lets a disabled account sign in again.
  reset-second-factor --email <email>
                                   Removes the account's second factor (a lost phone
                                   and lost recovery codes): it signs in with its
                                   password alone until it sets one up again.
  list [--json]                    Every user: id, email, role, created, live sessions.

Options:
  -h, --help            Shows this help.

The settings are the service's (DATABASE_URL, DATA_DIR, ...). The embedded
database serves one process at a time: stop the service before using it.
`;
