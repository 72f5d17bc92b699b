import { createInterface } from 'node:readline';
import askPassword from '@inquirer/password';
import { UsageError } from './args.ts';

/** How many times a terminal user may try, a refused password or two that differ each counting once. */
const TRIES = 3;

/**
 * The new password: asked twice, masked, in a terminal (the prompt goes to
 * stderr, so stdout holds only results); otherwise the first line of stdin.
 * `check` runs the password rules: a refused password, or a repeat that
 * differs, is said and asked for again in an empty field (a prompt that kept
 * the refused text would add the next try to it).
 */
export async function readNewPassword(check: (password: string) => Promise<void>): Promise<string> {
  if (!process.stdin.isTTY) {
    const line = await firstLine(process.stdin);
    if (!line) throw new UsageError('No password: give it on the first line of standard input.');
    return line;
  }
  const context = { input: process.stdin, output: process.stderr };
  const ask = (message: string) => askPassword({ message, mask: true, toggleMask: false }, context);
  for (let tries = 1; ; tries++) {
    const password = await ask('Password:');
    let problem: string | undefined;
    try {
      await check(password);
      if ((await ask('Repeat the password:')) !== password) problem = 'The two passwords differ.';
    } catch (error) {
      problem = (error as Error).message;
    }
    if (!problem) return password;
    if (tries === TRIES) throw new UsageError(problem);
    process.stderr.write(`${problem} Try again.\n`);
  }
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
