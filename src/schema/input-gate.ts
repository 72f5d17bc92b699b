import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import type { GraphQLFieldResolver } from 'graphql';
import { badUserInput } from '../errors.ts';

/** The longest string any argument may carry unless its field allows more (`extensions.maxStringLength`). */
export const MAX_STRING_LENGTH = 1024;

/**
 * Why `value` cannot be taken as text, or undefined when it can. PostgreSQL
 * cannot store U+0000, and a lone UTF-16 surrogate has no UTF-8 form (it would
 * become U+FFFD on the way, so two different strings would be stored as one).
 */
export function textProblem(value: string, maxLength = MAX_STRING_LENGTH): string | undefined {
  if (value.includes('\u0000')) return 'must not contain the character U+0000';
  if (!value.isWellFormed()) return 'must be valid Unicode text (it holds a lone surrogate)';
  if (value.length > maxLength) return `must be at most ${maxLength} characters`;
  return undefined;
}

/**
 * How deeply lists and objects may nest inside one argument. A security key's
 * answer, the deepest value any field takes, nests four levels; a JSON
 * variable nested thousands deep would otherwise exhaust the stack of whatever
 * walks it.
 */
export const MAX_INPUT_DEPTH = 32;

/**
 * Every string in `value` (inside lists and input objects too) checked by
 * `textProblem`, and its nesting by MAX_INPUT_DEPTH; the first problem is
 * BAD_USER_INPUT naming its argument.
 */
function checkStrings(value: unknown, argument: string, field: string, maxLength: number, depth = 0): void {
  if (typeof value === 'string') {
    const problem = textProblem(value, maxLength);
    if (problem) throw badUserInput(field, `${field} ${problem}.`);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (depth >= MAX_INPUT_DEPTH) {
    throw badUserInput(argument, `${argument} is nested too deeply: at most ${MAX_INPUT_DEPTH} levels.`);
  }
  if (Array.isArray(value)) {
    for (const item of value) checkStrings(item, argument, field, maxLength, depth + 1);
  } else {
    for (const [key, item] of Object.entries(value)) {
      checkStrings(item, argument, `${field}.${key}`, maxLength, depth + 1);
    }
  }
}

/**
 * One gate for every argument of every field: before a resolver runs (after
 * the auth scopes), each string it was given is refused if the database or the
 * rules could not take it. The domain's own rules (email shape, name length)
 * come after it, in the resolvers.
 */
export class InputGatePlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    if (Object.keys(fieldConfig.args).length === 0) return resolver;
    const declared = fieldConfig.extensions?.maxStringLength;
    const maxLength = typeof declared === 'number' ? declared : MAX_STRING_LENGTH;
    return (parent, args, context, info) => {
      for (const [name, value] of Object.entries(args)) checkStrings(value, name, name, maxLength);
      return resolver(parent, args, context, info);
    };
  }
}

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      inputGate: InputGatePlugin<Types>;
    }
  }
}

const pluginName = 'inputGate';
SchemaBuilder.registerPlugin(pluginName, InputGatePlugin);

export default pluginName;
