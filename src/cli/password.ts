import { createInterface } from 'node:readline';
import askPassword from '@inquirer/password';
import { UsageError } from './args.ts';

/**
 * The new password: asked twice, masked, in a terminal (the prompt goes to
 * stderr, so stdout holds only results); otherwise the first line of stdin.
 * `check` runs the password rules, so a terminal user can try again at once.
 */
export async function readNewPassword(check: (password: string) => Promise<void>): Promise<string> {
  if (!process.stdin.isTTY) {
    const line = await firstLine(process.stdin);
    if (!line) throw new UsageError('No password: give it on the first line of standard input.');
    return line;
  }
  const context = { input: process.stdin, output: process.stderr };
  const validate = async (value: string) => {
    try {
      await check(value);
      return true;
    } catch (error) {
      return (error as Error).message;
    }
  };
  const password = await askPassword({ message: 'Password:', mask: true, toggleMask: false, validate }, context);
  const repeated = await askPassword({ message: 'Repeat the password:', mask: true, toggleMask: false }, context);
  if (repeated !== password) throw new UsageError('The two passwords differ.');
  return password;
}

async function firstLine(input: NodeJS.ReadableStream): Promise<string | undefined> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const line of lines) return line;
    return undefined;
  } finally {
    lines.close();
  }
}
