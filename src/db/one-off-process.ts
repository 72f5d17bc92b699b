import { fork } from 'node:child_process';

type Answer =
  | { type: 'done'; [key: string]: unknown }
  | { type: 'failed'; message: string }
  | { type: 'log'; line: string };

/**
 * Runs `module` (plain JavaScript beside this file) as a child process of the
 * same Node, sends it `task` (if any), and resolves with its `done` answer. For
 * one-off work at start whose memory should not stay in the service.
 */
export function runOneOffProcess(
  module: URL,
  options: { args?: string[]; task?: unknown; onLog?: (line: string) => void },
): Promise<Record<string, unknown>> {
  const child = fork(module, options.args ?? [], {
    execArgv: ['--experimental-wasm-modules', '--disable-warning=ExperimentalWarning'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let answered = false;
    child.on('message', (answer: Answer) => {
      if (answer.type === 'log') return options.onLog?.(answer.line);
      answered = true;
      if (answer.type === 'done') resolve(answer);
      else reject(new Error(answer.message));
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (!answered) reject(new Error(`${module.pathname} ended (${signal ?? code}) without an answer`));
    });
    if (options.task !== undefined) child.send(options.task as object);
  });
}
