import type { Logger } from '../../logger.ts';

/**
 * The service logger with `requestId` on every line. The pino child is made on
 * first use only: most requests log nothing, and making one costs microseconds
 * (its bindings pass through redaction), which `me` would pay thousands of
 * times a second.
 */
export function requestLogger(parent: Logger, requestId: string): Logger {
  let child: Logger | undefined;
  const logger = () => (child ??= parent.child({ requestId }));
  return new Proxy(parent, {
    get(_parent, property) {
      const target = logger();
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
    set: (_parent, property, value) => Reflect.set(logger(), property, value),
    has: (_parent, property) => Reflect.has(logger(), property),
  });
}
