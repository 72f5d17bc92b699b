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
 * Every string in `value` (inside lists and input objects too) checked by
 * `textProblem`; the first problem is BAD_USER_INPUT naming its argument.
 */
function checkStrings(value: unknown, field: string, maxLength: number): void {
  if (typeof value === 'string') {
    const problem = textProblem(value, maxLength);
    if (problem) throw badUserInput(field, `${field} ${problem}.`);
  } else if (Array.isArray(value)) {
    for (const item of value) checkStrings(item, field, maxLength);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) checkStrings(item, `${field}.${key}`, maxLength);
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
      for (const [name, value] of Object.entries(args)) checkStrings(value, name, maxLength);
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
