import type { FieldKind, FieldRef, SchemaTypes } from '@pothos/core';
import { parsePrismaCursor } from '@pothos/plugin-prisma';
import { isUuid } from '../db/uuid.ts';
import { badUserInput } from '../errors.ts';

/** The arguments every Relay connection field takes. */
interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

/**
 * Refuses page arguments a connection cannot use, with BAD_USER_INPUT naming the
 * argument. Left to the connection, a negative size or a forged cursor fails
 * inside it and reaches the client as INTERNAL_SERVER_ERROR. `isKey` says whether
 * a decoded cursor can name a row, so a cursor that cannot never reaches SQL.
 */
export function checkPageArgs(args: PageArgs, isKey: (value: unknown) => boolean): void {
  for (const name of ['first', 'last'] as const) {
    const size = args[name];
    if (size != null && size < 0) throw badUserInput(name, `${name} must be 0 or more.`);
  }
  for (const name of ['after', 'before'] as const) {
    const cursor = args[name];
    if (cursor != null && !isKey(decodeCursor(cursor)))
      throw badUserInput(name, `${name} is not a cursor of this list.`);
  }
}

/** For connections whose cursor is a UUID id. */
export const isUuidKey = (value: unknown): boolean => typeof value === 'string' && isUuid(value);

function decodeCursor(cursor: string): unknown {
  try {
    return parsePrismaCursor(cursor);
  } catch {
    return undefined;
  }
}

/**
 * Runs `checkPageArgs` on a connection field's arguments just before its
 * resolver: after its auth scopes (a caller who may not see the list learns
 * nothing from its arguments), before the connection reads them.
 */
export function withPageArgChecks<Types extends SchemaTypes, T, Kind extends FieldKind>(
  ref: FieldRef<Types, T, Kind>,
  isKey: (value: unknown) => boolean,
): FieldRef<Types, T, Kind> {
  ref.updateConfig((config) => {
    const { resolve } = config;
    if (!resolve) return config;
    return {
      ...config,
      resolve: (parent, args, context, info) => {
        checkPageArgs(args, isKey);
        return resolve(parent, args, context, info);
      },
    };
  });
  return ref;
}
