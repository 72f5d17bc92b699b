import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  PRODUCTION,
  queryText,
  SIGN_UP,
  STRONG_PASSWORD,
  signUp,
  type TestApp,
  uniqueEmail,
} from '../fixtures/index.ts';

// What one HTTP request may ask for, all checked before any resolver runs:
// aliases, depth, tokens and directives per document, batched operations per
// request, mutations over GET, bodies that are not JSON, introspection and "did you mean"
// suggestions in production. Every refusal must be a JSON body whose first
// error has an extensions.code, with nothing internal in it.

interface ResultError {
  message: string;
  path?: string[];
  extensions?: Record<string, unknown>;
}
interface Result {
  data?: Record<string, unknown> | null;
  errors?: ResultError[];
}
interface Answer {
  status: number;
  contentType: string;
  text: string;
  json: unknown;
}

/** Stack frames ("at fn (/path:1:2)", "at file:///…"), absolute paths and source locations. */
const STACK_FRAME = /\bat (?:\S+ \()?(?:file:|node:|\/)|\n\s+at /;
const FILE_PATH = /(?:file:\/\/|\/work\/|\/home\/|\/usr\/|node_modules|\.[cm]?[jt]s:\d)/;

async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text, json };
}

/** POSTs any JSON body, a batch included, and reads the answer as it came. */
const post = async (app: TestApp, body: unknown, headers: Record<string, string> = {}) =>
  answerOf(
    await app.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    }),
  );

const get = async (app: TestApp, query: string, headers: Record<string, string> = {}) =>
  answerOf(await app.fetch(`/graphql?query=${encodeURIComponent(query)}`, { headers }));

/** The single result of a non-batched answer. */
function resultOf(answer: Answer): Result {
  expect(answer.json, answer.text).toBeTypeOf('object');
  expect(Array.isArray(answer.json), answer.text).toBe(false);
  return answer.json as Result;
}

function resultsOf(answer: Answer): Result[] {
  expect(Array.isArray(answer.json), answer.text).toBe(true);
  return answer.json as Result[];
}

/** A refusal: no data, and an error whose message names `what`. */
function expectRefused(answer: Answer, what: RegExp): ResultError {
  const result = resultOf(answer);
  expect(result.data ?? null).toBeNull();
  const error = result.errors?.[0];
  expect(error?.message, answer.text).toMatch(what);
  return error!;
}

/** `count` aliased signUps, each with an email of its own; returns the document and the emails. */
const signUpDocument = () =>
  `mutation { signUp(email: "${uniqueEmail('form')}", password: "${STRONG_PASSWORD}") { accessToken } }`;

function aliasedSignUps(count: number): { document: string; emails: string[] } {
  const emails = Array.from({ length: count }, () => uniqueEmail('alias'));
  const fields = emails.map(
    (email, i) => `a${i}: signUp(email: "${email}", password: "${STRONG_PASSWORD}") { accessToken }`,
  );
  return { document: `mutation { ${fields.join('\n')} }`, emails };
}

/** `{ __type(name: "User") { fields { type { ofType { … name } } } } }` with this selection depth. */
function typeQueryOfDepth(depth: number): string {
  // __type, fields, type and the innermost name are 4 levels; each ofType adds one.
  let inner = 'name';
  for (let i = 0; i < depth - 4; i++) inner = `ofType { ${inner} }`;
  return `{ __type(name: "User") { fields { type { ${inner} } } } }`;
}

/**
 * The same depth reached through fragments that spread one another: depth is
 * counted through them (flattened), so they cannot hide it.
 */
function fragmentQueryOfDepth(depth: number): string {
  let inner = 'name';
  for (let i = 0; i < depth - 4; i++) inner = `ofType { ${inner} }`;
  return [
    '{ __type(name: "User") { ...TypeFields } }',
    'fragment TypeFields on __Type { fields { ...FieldType } }',
    `fragment FieldType on __Field { type { ${inner} } }`,
  ].join('\n');
}

/** Valid, and cheap to refuse: `first: 1000` multiplies the cost of each edge. */
const EXPENSIVE_QUERY = '{ authEvents(first: 1000) { edges { node { id type createdAt ip userAgent } } } }';

const userCount = (emails: string[]) => t.services.prisma.user.count({ where: { email: { in: emails } } });

// Three settings, one database and hashing thread.
let t: TestApp;
let batching: TestApp;
let production: TestApp;
beforeAll(async () => {
  t = await createTestApp({}, { recordQueries: true });
  const shared = { sharing: t };
  [batching, production] = await Promise.all([
    createTestApp({ GRAPHQL_BATCH_LIMIT: '10' }, shared),
    createTestApp(PRODUCTION, shared),
  ]);
});
afterAll(async () => {
  await Promise.all([batching?.close(), production?.close()]);
  await t?.close();
});

// ---------------------------------------------------------------------------

describe('aliases', () => {
  it('refuses a document with 16 aliases before anything runs: none of its 16 signUps creates an account', async () => {
    const { document, emails } = aliasedSignUps(16);
    t.queries.length = 0;
    const answer = await post(t, { query: document });
    expect(t.queries).toEqual([]);
    expectRefused(answer, /alias/i);
    expect(await userCount(emails)).toBe(0);
  });

  it('allows 15 aliases: 15 aliased signUps create 15 accounts', async () => {
    const { document, emails } = aliasedSignUps(15);
    const answer = await post(t, { query: document });
    expect(answer.status).toBe(200);
    const result = resultOf(answer);
    expect(result.errors, answer.text).toBeUndefined();
    expect(Object.keys(result.data ?? {})).toHaveLength(15);
    expect(await userCount(emails)).toBe(15);
  });

  it('refuses a 500-alias login document at once, without a login attempt: no session is created', async () => {
    const account = await signUp(t, { prefix: 'alias' });
    const fields = Array.from(
      { length: 500 },
      (_, i) => `a${i}: login(email: "${account.email}", password: "${account.password}") { accessToken }`,
    );
    t.queries.length = 0;
    const startedAt = performance.now();
    const answer = await post(t, { query: `mutation { ${fields.join('\n')} }` });
    expect(performance.now() - startedAt).toBeLessThan(1000);
    expect(t.queries).toEqual([]);
    expectRefused(answer, /limit/i);
    expect(await t.services.prisma.session.count({ where: { userId: account.userId } })).toBe(1);
  });
});

describe('depth', () => {
  it('allows a selection 10 deep', async () => {
    const answer = await post(t, { query: typeQueryOfDepth(10) });
    expect(answer.status).toBe(200);
    expect(resultOf(answer).errors, answer.text).toBeUndefined();
  });

  it('refuses a selection 11 deep', async () => {
    expectRefused(await post(t, { query: typeQueryOfDepth(11) }), /depth/i);
  });

  it('refuses a selection 11 deep built from fragments spreading one another', async () => {
    expectRefused(await post(t, { query: fragmentQueryOfDepth(11) }), /depth/i);
  });

  it('allows the same fragments 10 deep', async () => {
    const answer = await post(t, { query: fragmentQueryOfDepth(10) });
    expect(resultOf(answer).errors, answer.text).toBeUndefined();
  });
});

describe('tokens, cost and directives', () => {
  it('refuses a document of more than 2000 tokens before it is parsed', async () => {
    // `me { id }` plus 2000 more `id` fields: 2006 tokens.
    const answer = await post(t, { query: `{ me { ${'id '.repeat(2000)}id } }` });
    expectRefused(answer, /token/i);
  });

  it('refuses a document whose estimated cost is over 5000 (a page of 1000 audit events)', async () => {
    expectRefused(await post(t, { query: EXPENSIVE_QUERY }), /cost/i);
  });

  it('refuses more than 50 directives', async () => {
    expectRefused(await post(t, { query: `{ __typename ${'@include(if: true) '.repeat(51)}}` }), /directive/i);
  });
});

describe('batching', () => {
  const operations = (count: number) => Array.from({ length: count }, () => ({ query: '{ __typename }' }));

  it('refuses a JSON array of 2 operations by default with 400', async () => {
    const answer = await post(t, operations(2));
    expect(answer.status).toBe(400);
    expectRefused(answer, /batch/i);
  });

  it('refuses a 50-operation batch by default', async () => {
    const answer = await post(t, operations(50));
    expect(answer.status).toBe(400);
    expectRefused(answer, /batch/i);
  });

  it('answers a batch of 10 with 10 results when GRAPHQL_BATCH_LIMIT=10', async () => {
    const answer = await post(batching, operations(10));
    expect(answer.status).toBe(200);
    expect(resultsOf(answer)).toEqual(Array.from({ length: 10 }, () => ({ data: { __typename: 'Query' } })));
  });

  it('refuses a batch of 11 when GRAPHQL_BATCH_LIMIT=10 with 413, running none of it', async () => {
    const emails = Array.from({ length: 11 }, () => uniqueEmail('batch'));
    const batch = emails.map((email) => ({
      query: queryText(SIGN_UP),
      variables: { email, password: STRONG_PASSWORD },
    }));
    const answer = await post(batching, batch);
    expect(answer.status).toBe(413);
    expectRefused(answer, /batch/i);
    expect(await userCount(emails)).toBe(0);
  });

  it('refuses a 50-operation batch when GRAPHQL_BATCH_LIMIT=10', async () => {
    const answer = await post(batching, operations(50));
    expect(answer.status).toBe(413);
    expectRefused(answer, /batch/i);
  });
});

describe('GET requests', () => {
  it('refuse a mutation with 405, running nothing', async () => {
    const email = uniqueEmail('get');
    const document = `mutation { signUp(email: "${email}", password: "${STRONG_PASSWORD}") { accessToken } }`;
    const answer = await get(t, document);
    expect(answer.status).toBe(405);
    expectRefused(answer, /POST/);
    expect(await userCount([email])).toBe(0);
  });

  it('answer a query with no extra header, as urql and curl send it by default', async () => {
    const answer = await get(t, '{ me { id } }');
    expect(answer.status).toBe(200);
    expect(resultOf(answer)).toEqual({ data: { me: null } });
  });

  it('answer a signed-in query, the access token in the Authorization header', async () => {
    const account = await signUp(t);
    const answer = await get(t, '{ me { id } }', { authorization: `Bearer ${account.accessToken}` });
    expect(answer.status).toBe(200);
    expect(resultOf(answer)).toEqual({ data: { me: { id: account.userId } } });
  });

  it('answer a query with variables and an operation name in the URL', async () => {
    const query = encodeURIComponent('query Who($n: Int) { users(first: $n) { totalCount } }');
    const answer = await answerOf(
      await t.fetch(`/graphql?query=${query}&variables=${encodeURIComponent('{"n":1}')}&operationName=Who`),
    );
    expect(resultOf(answer).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('POST bodies', () => {
  const postAs = async (contentType: string, body: string) =>
    answerOf(await t.fetch('/graphql', { method: 'POST', headers: { 'content-type': contentType }, body }));

  it.each([
    ['a form', 'application/x-www-form-urlencoded', () => `query=${encodeURIComponent(signUpDocument())}`],
    [
      'a multipart form',
      'multipart/form-data; boundary=x',
      () => `--x\r\nContent-Disposition: form-data; name="query"\r\n\r\n${signUpDocument()}\r\n--x--`,
    ],
    ['plain text', 'text/plain', () => JSON.stringify({ query: signUpDocument() })],
    ['a GraphQL document', 'application/graphql', () => signUpDocument()],
  ])('refuse %s with 415, running nothing', async (_name, contentType, body) => {
    const before = await t.services.prisma.user.count();
    const answer = await postAs(contentType, body());
    expect(answer.status).toBe(415);
    expect(resultOf(answer).errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expect(await t.services.prisma.user.count()).toBe(before);
  });

  it('take JSON, with a charset or without', async () => {
    for (const contentType of ['application/json; charset=utf-8', 'application/json']) {
      const answer = await postAs(contentType, JSON.stringify({ query: '{ me { id } }' }));
      expect(answer.status).toBe(200);
      expect(resultOf(answer)).toEqual({ data: { me: null } });
    }
  });
});

describe('introspection and suggestions', () => {
  it('in production, refuse an introspection query', async () => {
    const answer = await post(production, { query: '{ __schema { types { name } } }' });
    expectRefused(answer, /introspection/i);
    expect(resultOf(answer).errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('in production, refuse __type too', async () => {
    expectRefused(await post(production, { query: '{ __type(name: "User") { name } }' }), /introspection/i);
  });

  it('in production, give no "Did you mean" suggestion for an unknown field', async () => {
    const answer = await post(production, { query: '{ me { emial } }' });
    const error = expectRefused(answer, /Cannot query field "emial"/);
    expect(error.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(answer.text).not.toMatch(/did you mean/i);
    expect(answer.text).not.toContain('"email"');
  });

  it('outside production, suggest the field ("Did you mean") for an unknown field', async () => {
    const answer = await post(t, { query: '{ me { emial } }' });
    const error = expectRefused(answer, /Cannot query field "emial"/);
    expect(error.message).toMatch(/Did you mean "email"\?/);
  });
});

// ---------------------------------------------------------------------------

describe('every refusal', () => {
  const refusals: Array<[string, () => Promise<Answer>]> = [
    ['16 aliases', () => post(t, { query: aliasedSignUps(16).document })],
    [
      '500 aliases',
      () => post(t, { query: `mutation { ${Array.from({ length: 500 }, (_, i) => `a${i}: logoutAll`).join(' ')} }` }),
    ],
    ['depth 11', () => post(t, { query: typeQueryOfDepth(11) })],
    ['depth 11 through fragments', () => post(t, { query: fragmentQueryOfDepth(11) })],
    ['over 2000 tokens', () => post(t, { query: `{ me { ${'id '.repeat(2000)}id } }` })],
    ['cost over 5000', () => post(t, { query: EXPENSIVE_QUERY })],
    ['51 directives', () => post(t, { query: `{ __typename ${'@include(if: true) '.repeat(51)}}` })],
    ['a batch with batching off', () => post(t, [{ query: '{ __typename }' }, { query: '{ __typename }' }])],
    [
      'a batch over GRAPHQL_BATCH_LIMIT',
      () =>
        post(
          batching,
          Array.from({ length: 11 }, () => ({ query: '{ __typename }' })),
        ),
    ],
    ['a mutation over GET', () => get(t, 'mutation { logoutAll }')],
    [
      'a form-encoded POST',
      () =>
        t
          .fetch('/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: 'query=%7B%20me%20%7B%20id%20%7D%20%7D',
          })
          .then(answerOf),
    ],
    ['introspection in production', () => post(production, { query: '{ __schema { types { name } } }' })],
    ['an unknown field in production', () => post(production, { query: '{ me { emial } }' })],
  ];

  it.each(refusals)('(%s) is a JSON body whose first error has an extensions.code', async (_name, request) => {
    const answer = await request();
    expect(answer.contentType).toMatch(/^application\/(graphql-response\+)?json/);
    const error = resultOf(answer).errors?.[0];
    expect(error?.extensions?.code, answer.text).toEqual(expect.stringMatching(/^[A-Z_]+$/));
  });

  it.each(refusals)('(%s) shows no stack, file path or internal detail', async (_name, request) => {
    const answer = await request();
    expect(answer.text).not.toMatch(STACK_FRAME);
    expect(answer.text).not.toMatch(FILE_PATH);
    for (const error of resultOf(answer).errors ?? []) {
      expect(error.extensions ?? {}).not.toHaveProperty('stack');
      expect(error.extensions ?? {}).not.toHaveProperty('originalError');
      expect(error.extensions ?? {}).not.toHaveProperty('exception');
    }
  });
});
