import fc from 'fast-check';
import type {
  GraphQLArgument,
  GraphQLEnumType,
  GraphQLField,
  GraphQLInputObjectType,
  GraphQLInputType,
  GraphQLNamedType,
  GraphQLOutputType,
} from 'graphql';
import { describe, expect } from 'vitest';
import { schema } from '../../src/schema.ts';
import {
  accountRowCounts,
  type Account,
  expectError,
  STRONG_PASSWORD,
  signUpAdmin,
  type TestApp,
  uniqueEmail,
} from '../fixtures/index.ts';
import { test as it } from '../fixtures/suite.ts';

// Every argument of every query and mutation, read from the schema itself (a
// new field is covered as soon as it exists), given arbitrary values: control
// characters, U+0000, lone surrogates, right-to-left marks, combining marks,
// emoji, 10 000 characters, numbers at the edges, and values of the wrong type.
// Whatever arrives, the answer is never a 5xx nor INTERNAL_SERVER_ERROR, and a
// refused mutation leaves no row behind.

type RootField = { operation: 'query' | 'mutation'; field: GraphQLField<unknown, unknown> };

// The schema's types are read by shape, not with graphql-js's `is…Type`: those
// check `instanceof`, and the schema may come from graphql-js's other build.
type Wrapped = { ofType: GraphQLInputType | GraphQLOutputType };
const isNonNull = (type: GraphQLInputType | GraphQLOutputType) => String(type).endsWith('!');
const isList = (type: GraphQLInputType | GraphQLOutputType) => !isNonNull(type) && String(type).startsWith('[');
const namedType = (type: GraphQLInputType | GraphQLOutputType): GraphQLNamedType =>
  'ofType' in type ? namedType((type as Wrapped).ofType) : type;
const isEnum = (type: GraphQLNamedType): type is GraphQLEnumType => 'getValues' in type;
const isInputObject = (type: GraphQLNamedType): type is GraphQLInputObjectType =>
  'getFields' in type && !('getInterfaces' in type);
const hasFields = (type: GraphQLNamedType) => 'getFields' in type;

const ROOT_FIELDS: RootField[] = [
  ...Object.values(schema.getQueryType()?.getFields() ?? {}).map((field) => ({ operation: 'query' as const, field })),
  ...Object.values(schema.getMutationType()?.getFields() ?? {}).map((field) => ({
    operation: 'mutation' as const,
    field,
  })),
];

/** Characters that break naive handling of text. */
const AWKWARD = [
  '\u0000',
  '\u0001',
  '\u0008',
  '\n',
  '\u001f',
  '\u007f',
  '\u0085',
  '\u200f', // right-to-left mark
  '\u202e', // right-to-left override
  '\u2066',
  '\u0301', // combining acute accent
  '\ufeff',
  '\ud800', // lone high surrogate
  '\udfff', // lone low surrogate
  '😀',
  '👩🏽‍💻',
  'é',
  'a',
  '@',
  '.',
  ' ',
] as const;

const awkwardText = fc.string({ unit: fc.constantFrom(...AWKWARD), maxLength: 40 });

/** Text of every kind, sometimes around a value the field would accept so that deeper checks run too. */
const text = (valid: string) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(valid) },
    { weight: 2, arbitrary: fc.tuple(awkwardText, awkwardText).map(([before, after]) => `${before}${valid}${after}`) },
    { weight: 2, arbitrary: awkwardText },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
    { weight: 1, arbitrary: fc.constantFrom('', 'a'.repeat(10_000), `${valid}\u0000`, '\u0000'.repeat(300)) },
  );

const INT_EDGES = [0, 1, -1, 100, 101, 2 ** 31 - 1, -(2 ** 31)];
const int = fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.constantFrom(...INT_EDGES));

/** A value of a JSON type the argument does not take. */
const wrongType = fc.oneof(
  fc.constantFrom(2 ** 31, 2 ** 53 + 1, 1.5, -0.5, true, false, '', 'not a number', [], {}),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

/** Values a caller would plausibly send for an argument, by its name: what gets past the first checks. */
function plausible(name: string, account: Account): string {
  switch (name) {
    case 'email':
    case 'newEmail':
      return name === 'email' ? account.email : uniqueEmail('fuzz');
    case 'password':
    case 'currentPassword':
      return account.password;
    case 'newPassword':
      return 'quiet-meadow-compass-97';
    case 'refreshToken':
      return account.refreshToken;
    case 'userId':
      return account.userId;
    case 'id':
      return account.sessionId;
    case 'name':
      return 'Ada Lovelace';
    default:
      return 'x';
  }
}

function valueFor(type: GraphQLInputType, name: string, account: Account): fc.Arbitrary<unknown> {
  if (isNonNull(type)) return valueFor((type as Wrapped).ofType as GraphQLInputType, name, account);
  if (isList(type))
    return fc.array(valueFor((type as Wrapped).ofType as GraphQLInputType, name, account), { maxLength: 3 });
  const named = namedType(type);
  if (isEnum(named)) return fc.oneof(fc.constantFrom(...named.getValues().map((v) => v.name)), text('ADMIN'));
  if (isInputObject(named)) {
    const fields = Object.values(named.getFields());
    return fc.record(Object.fromEntries(fields.map((f) => [f.name, argumentValue(f.type, f.name, account)])));
  }
  switch (named.name) {
    case 'Int':
      return int;
    case 'Float':
      return fc.oneof(fc.double(), int);
    case 'Boolean':
      return fc.boolean();
    case 'String':
    case 'ID':
      return text(plausible(name, account));
    default:
      return fc.jsonValue();
  }
}

/** A value for an argument: mostly of its type (null where it may be), sometimes of another. */
function argumentValue(type: GraphQLInputType, name: string, account: Account): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 8, arbitrary: valueFor(type, name, account) },
    { weight: isNonNull(type) ? 0 : 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: wrongType },
  );
}

function documentOf({ operation, field }: RootField): string {
  const variables = field.args.map((arg) => `$${arg.name}: ${arg.type.toString()}`);
  const passed = field.args.map((arg) => `${arg.name}: $${arg.name}`);
  const selection = hasFields(namedType(field.type)) ? ' { __typename }' : '';
  const header = variables.length > 0 ? `(${variables.join(', ')})` : '';
  const call = passed.length > 0 ? `(${passed.join(', ')})` : '';
  return `${operation} Arbitrary${header} { ${field.name}${call}${selection} }`;
}

let t: TestApp;
it.beforeAll(({ app }) => {
  t = app;
});

const RUNS_PER_FIELD = Number(process.env.ARBITRARY_INPUT_RUNS ?? 20);

describe('arbitrary arguments for every root field', () => {
  it('covers every query and mutation of the schema', () => {
    expect(ROOT_FIELDS.length).toBeGreaterThanOrEqual(15);
    expect(ROOT_FIELDS.map((root) => root.field.name)).toEqual(
      expect.arrayContaining(['signUp', 'login', 'me', 'users']),
    );
  });

  for (const root of ROOT_FIELDS) {
    it(`${root.operation} ${root.field.name}: never a 5xx, never INTERNAL_SERVER_ERROR, no half-written row`, async () => {
      const document = documentOf(root);
      // An admin that no run has changed: after a mutation that went through, the
      // next run gets a fresh one, so that what one run ends (a session, an
      // account) does not decide the next. A query, or a refused mutation (which
      // the run checks left no row behind), ends nothing, and its admin serves on.
      let untouched: Account | undefined;
      await fc.assert(
        fc.asyncProperty(fc.gen(), fc.context(), async (generate, log) => {
          untouched ??= await signUpAdmin(t, { prefix: 'fuzz' });
          const account = untouched;
          const variables = Object.fromEntries(
            root.field.args.map((arg: GraphQLArgument) => [
              arg.name,
              generate(() => argumentValue(arg.type, arg.name, account)),
            ]),
          );
          log.log(JSON.stringify(variables).slice(0, 500));
          const before = await accountRowCounts(t);
          const response = await t.graphql(document, variables, {
            token: account.accessToken,
          });
          expect(response.status).toBeLessThan(500);
          const codes = (response.body.errors ?? []).map((error) => error.extensions?.code);
          expect(codes).not.toContain('INTERNAL_SERVER_ERROR');
          for (const code of codes) expect(code).toEqual(expect.any(String));
          if (root.operation === 'mutation') {
            if (codes.length > 0) expect(await accountRowCounts(t)).toEqual(before);
            else untouched = undefined;
          }
        }),
        { numRuns: RUNS_PER_FIELD },
      );
      expect(t.logs.filter((line) => line.msg === 'unexpected error')).toEqual([]);
    });
  }
});

describe('one gate for every string argument', () => {
  const withStrings = ROOT_FIELDS.flatMap((root) =>
    root.field.args.filter((arg) => ['String', 'ID'].includes(namedType(arg.type).name)).map((arg) => ({ root, arg })),
  );

  const refusal = async (root: RootField, target: GraphQLArgument, poison: (valid: string) => string) => {
    const account = await signUpAdmin(t, { prefix: 'gate' });
    const variables: Record<string, unknown> = {};
    for (const arg of root.field.args) {
      const named = namedType(arg.type);
      if (arg === target) variables[arg.name] = poison(plausible(arg.name, account));
      else if (named.name === 'String' || named.name === 'ID') variables[arg.name] = plausible(arg.name, account);
      else if (isEnum(named)) variables[arg.name] = named.getValues()[0]?.name;
      else if (named.name === 'Int') variables[arg.name] = 1;
      else if (named.name === 'Boolean') variables[arg.name] = true;
      else if (named.name === 'JSONObject') variables[arg.name] = {};
    }
    const before = await accountRowCounts(t);
    const response = await t.graphql(documentOf(root), variables, { token: account.accessToken });
    expect(await accountRowCounts(t)).toEqual(before);
    return response;
  };

  it('knows string arguments of many fields', () => {
    expect(withStrings.length).toBeGreaterThanOrEqual(15);
  });

  for (const { root, arg } of withStrings) {
    it(`refuses U+0000 in ${root.field.name}(${arg.name}) with BAD_USER_INPUT naming it`, async () => {
      const response = await refusal(root, arg, (valid) => `${valid.slice(0, 3)}\u0000${valid.slice(3)}`);
      expectError(response, 'BAD_USER_INPUT', { field: arg.name });
    });

    it(`refuses a lone surrogate in ${root.field.name}(${arg.name}) with BAD_USER_INPUT naming it`, async () => {
      const response = await refusal(root, arg, (valid) => `${valid}\ud83d`);
      expectError(response, 'BAD_USER_INPUT', { field: arg.name });
    });
  }

  it('lets right-to-left marks, combining marks and emoji through in a name', async () => {
    const account = await signUpAdmin(t, { prefix: 'names' });
    for (const name of ['\u200fאדה\u200f', 'Zoe\u0301', 'Ada 👩🏽‍💻']) {
      const response = await t.graphql(
        'mutation($name: String) { updateMe(name: $name) { name } }',
        { name },
        { token: account.accessToken },
      );
      expect(response.body).toEqual({ data: { updateMe: { name } } });
    }
  });

  it('refuses control characters and bidirectional overrides in a name', async () => {
    const account = await signUpAdmin(t, { prefix: 'names' });
    for (const name of ['Ada\u0007', 'A\nda', 'Ada\u202egnp.exe']) {
      const response = await t.graphql(
        'mutation($name: String) { updateMe(name: $name) { name } }',
        { name },
        { token: account.accessToken },
      );
      expectError(response, 'BAD_USER_INPUT', { field: 'name' });
    }
  });

  it('refuses a JSON variable nested 12 000 levels deep, from anyone, with BAD_USER_INPUT and no stack in the log', async () => {
    // 72 kB, under the body limit: without a bound on depth, walking it overflows the stack.
    const depth = 12_000;
    const response = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const body = `{"query":"mutation($r: JSONObject!) { loginWithPasskey(response: $r) { accessToken } }","variables":{"r":${response}}}`;
    expect(body.length).toBeLessThan(100_000);
    const answer = await t.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const json = (await answer.json()) as { errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
    expect(json.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'response' });
    expect(json.errors?.[0]?.message).toContain('nested too deeply');
    expect(t.logText()).not.toMatch(/RangeError|Maximum call stack/);
  });

  it('takes a passkey response as deep as browsers send it', async () => {
    // A registration response nests four levels (response.response.clientExtensionResults…); 32 are allowed.
    const nested = (levels: number): Record<string, unknown> => (levels === 0 ? {} : { a: nested(levels - 1) });
    const response = await t.graphql('mutation($r: JSONObject!) { loginWithPasskey(response: $r) { accessToken } }', {
      r: nested(31),
    });
    expectError(response, 'UNAUTHENTICATED');
  });

  it('refuses control characters in an email at sign-up, leaving no row', async () => {
    const before = await accountRowCounts(t);
    const response = await t.graphql(
      'mutation($email: String!, $password: String!) { signUp(email: $email, password: $password) { accessToken } }',
      {
        email: `bell\u0007-${uniqueEmail('ctl')}`,
        password: STRONG_PASSWORD,
      },
    );
    expectError(response, 'BAD_USER_INPUT', { field: 'email' });
    expect(await accountRowCounts(t)).toEqual(before);
  });
});
