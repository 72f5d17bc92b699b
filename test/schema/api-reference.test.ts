import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/errors.ts';
import { schema } from '../../src/schema.ts';

// The README is the API's reference for a newcomer, who has no other: every root
// field of the schema is shown in one of its GraphQL blocks, and every code and
// reason a client can branch on has a row in its table of errors.

const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
const graphqlBlocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]).join('\n');
const errorsSection = (() => {
  const start = readme.indexOf('## Errors, and what a client does');
  return readme.slice(start, readme.indexOf('\n## ', start + 1));
})();

const literals = (text: string) => [...text.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1] ?? '');

/**
 * The reasons `extensions.reason` can hold: the kernel's unions in errors.ts, and
 * what each sign-in method merges into `MethodReasons` in its folder.
 */
async function reasons(): Promise<string[]> {
  const source = await readFile(new URL('../../src/errors.ts', import.meta.url), 'utf8');
  const union = (name: string) => literals(new RegExp(`export type ${name} =([^;]*);`).exec(source)?.[1] ?? '');
  const methods = new URL('../../src/methods/', import.meta.url);
  const methodFiles = (await readdir(methods, { recursive: true })).filter((file) => file.endsWith('.ts'));
  const methodReasons = await Promise.all(
    methodFiles.map(async (file) => {
      const text = await readFile(new URL(file, methods), 'utf8');
      return literals(/interface MethodReasons \{([^}]*)\}/.exec(text)?.[1] ?? '');
    }),
  );
  return [...union('TokenRefusal'), ...union('KernelReason'), ...methodReasons.flat()];
}

describe("the README's API reference", () => {
  const rootFields = [
    ...Object.keys(schema.getQueryType()?.getFields() ?? {}),
    ...Object.keys(schema.getMutationType()?.getFields() ?? {}),
  ];

  it.each(rootFields)('shows %s in a GraphQL block', (name) => {
    expect(graphqlBlocks).toMatch(new RegExp(`\\b${name}\\b(?=\\s*[({:}]|\\s*$)`, 'm'));
  });

  it('has a row for every error code', () => {
    const missing = Object.values(ErrorCode).filter((code) => !errorsSection.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });

  it('has a row for every reason', async () => {
    const all = await reasons();
    expect(all.length).toBeGreaterThan(10);
    expect(all.filter((reason) => !errorsSection.includes(`reason: ${reason}`))).toEqual([]);
  });
});
