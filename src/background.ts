import type { Logger } from './logger.ts';

/**
 * Work a request leaves for after its answer (looking up an account for a
 * password reset, say, so that the answer takes the same time whether it
 * exists). Failures are logged, never thrown; shutdown waits for what is running.
 */
export class BackgroundTasks {
  readonly #logger: Logger;
  readonly #running = new Set<Promise<void>>();

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Starts `task` once the current request has moved on. */
  run(name: string, task: () => Promise<void>): void {
    const running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(task)
      .catch((error: unknown) => this.#logger.error({ err: error, task: name }, 'background task failed'))
      .finally(() => this.#running.delete(running));
    this.#running.add(running);
  }

  /** Resolves when every task started so far has ended. */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }
}
