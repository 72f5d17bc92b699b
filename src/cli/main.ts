import { checkNewUser } from '../auth/accounts/admin.ts';
import { normalizeEmail, normalizeName } from '../auth/accounts/rules.ts';
import { AppError } from '../errors.ts';
import { parseCommand, USAGE, UsageError, type Command } from './args.ts';
import type { Environment } from './environment.ts';
import { CliError } from './errors.ts';
import { readNewPassword } from './password.ts';

/** Runs the admin command line on `argv`; resolves with the exit code. */
export async function runAdmin(argv: readonly string[]): Promise<number> {
  let environment: Environment | undefined;
  try {
    const command = parseCommand(argv);
    if (command.name === 'help') {
      await write(process.stdout, USAGE);
      return 0;
    }
    const password = command.name === 'create-user' ? await newPassword(command) : undefined;
    // The service's parts load only for a command that needs them: --help and refused arguments answer at once.
    const [{ openEnvironment }, { runCommand }] = await Promise.all([
      import('./environment.ts'),
      import('./commands.ts'),
    ]);
    environment = await openEnvironment();
    await write(process.stdout, await runCommand(environment.services, command, password));
    return 0;
  } catch (error) {
    await write(process.stderr, describeFailure(error));
    return 1;
  } finally {
    await environment?.close().catch(() => {});
  }
}

/**
 * Settles what it can before the database opens: a bad email or name is
 * refused before a password is asked for, a weak password before the database
 * is opened. `createUser` applies the same rules again.
 */
async function newPassword(command: Extract<Command, { name: 'create-user' }>): Promise<string> {
  const email = normalizeEmail(command.email);
  normalizeName(command.userName);
  const check = async (password: string) => {
    await checkNewUser({ email, name: command.userName, password });
  };
  const password = await readNewPassword(check);
  await check(password);
  return password;
}

function describeFailure(error: unknown): string {
  if (error instanceof UsageError)
    return `tollgate admin: ${error.message}\nRun "npm run admin -- --help" for the commands.\n`;
  // The API's own messages, such as "This password is too common; choose another."
  if (error instanceof AppError || error instanceof CliError) return `tollgate admin: ${error.message}\n`;
  // Ctrl-C at a password prompt.
  if (error instanceof Error && error.name === 'ExitPromptError') return 'tollgate admin: cancelled.\n';
  return `tollgate admin: ${error instanceof Error ? error.message : String(error)}\n`;
}

function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => stream.write(text, (error) => (error ? reject(error) : resolve())));
}
