import type { ResultOf } from '@graphql-typed-document-node/core';
import { describe, expect } from 'vitest';
import { graphql } from '../generated/gql.ts';
import {
  expectError,
  expectNoErrors,
  signUp,
  signUpAdmin,
  uniqueEmail,
  type Account,
  type TestApp,
} from '../fixtures/index.ts';
import { testWithApp } from '../fixtures/suite.ts';

const USERS_PAGE = graphql(/* GraphQL */ `
  query UsersPage($first: Int, $after: String) {
    users(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id email name role createdAt } }
    }
  }
`);

// More users than the largest page, so that a `first` beyond it is visibly cut.
const BULK_USERS = 110;

const it = testWithApp({}, { recordQueries: true });
let t: TestApp;
let admin: Account;
let user: Account;
it.beforeAll(async ({ app }) => {
  t = app;
  admin = await signUpAdmin(t, { prefix: 'users-admin' });
  user = await signUp(t, { prefix: 'users-plain' });
  // Straight into the table: these users only need to exist, not to sign in.
  await t.services.prisma.user.createMany({
    data: Array.from({ length: BULK_USERS }, (_, i) => ({
      email: uniqueEmail(`bulk${i}`),
      name: `Bulk ${i}`,
      passwordHash: 'unused',
    })),
  });
});

/** A page as `token` sees it: the admin's by default, `null` sends no token. */
const usersPage = (variables: { first?: number; after?: string | null }, token: string | null = admin.accessToken) =>
  t.graphql(USERS_PAGE, variables, token === null ? {} : { token });

describe('users', () => {
  it('refuses a caller without a token with UNAUTHENTICATED', async () => {
    const error = expectError(await usersPage({}, null), 'UNAUTHENTICATED');
    expect(error.path).toEqual(['users']);
  });

  it('refuses a signed-in USER with FORBIDDEN', async () => {
    expectError(await usersPage({}, user.accessToken), 'FORBIDDEN');
  });

  it('shows an admin the users, with their fields and the total count', async () => {
    const { users } = expectNoErrors(await usersPage({ first: 5 }));
    expect(users.totalCount).toBe(await t.services.prisma.user.count());
    expect(users.totalCount).toBe(BULK_USERS + 2);
    expect(users.edges).toHaveLength(5);
    // Oldest first: the two who signed up come before the bulk.
    expect(users.edges[0]!.node).toMatchObject({
      id: admin.userId,
      email: admin.email,
      name: null,
      role: 'ADMIN',
    });
    expect(users.edges[1]!.node).toMatchObject({ id: user.userId, role: 'USER' });
    expect(users.edges[2]!.node).toMatchObject({ name: expect.stringMatching(/^Bulk \d+$/), role: 'USER' });
    expect(Date.parse(users.edges[0]!.node.createdAt)).not.toBeNaN();
    expect(users.pageInfo.hasNextPage).toBe(true);
  });

  it('walks every user exactly once when paging with after', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 50; page++) {
      const { users }: ResultOf<typeof USERS_PAGE> = expectNoErrors(await usersPage({ first: 7, after }));
      seen.push(...users.edges.map((edge) => edge.node.id));
      if (!users.pageInfo.hasNextPage) break;
      after = users.pageInfo.endCursor ?? null;
    }
    const all = await t.services.prisma.user.findMany({ select: { id: true }, orderBy: { id: 'asc' } });
    expect(seen).toEqual(all.map((u) => u.id));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('sends as many SQL statements for a page of 100 users as for a page of 2', async () => {
    const statementsFor = async (first: number) => {
      t.queries.length = 0;
      const { users } = expectNoErrors(await usersPage({ first }));
      expect(users.edges).toHaveLength(first);
      return [...t.queries];
    };
    const small = await statementsFor(2);
    const large = await statementsFor(100);
    // The session lookup, one SELECT of the page, one COUNT.
    expect(small, small.join('\n')).toHaveLength(3);
    expect(large, large.join('\n')).toHaveLength(small.length);
  });

  it('cuts a first over 100 to 100 and defaults to 20', async () => {
    const huge = expectNoErrors(await usersPage({ first: 1_000_000 })).users;
    expect(huge.edges).toHaveLength(100);
    expect(huge.pageInfo.hasNextPage).toBe(true);
    expect(expectNoErrors(await usersPage({})).users.edges).toHaveLength(20);
  });

  it('answers first: 0 with an empty page', async () => {
    const { users } = expectNoErrors(await usersPage({ first: 0 }));
    expect(users.edges).toEqual([]);
    expect(users.totalCount).toBe(BULK_USERS + 2);
  });

  it('refuses a negative first with BAD_USER_INPUT', async () => {
    expectError(await usersPage({ first: -1 }), 'BAD_USER_INPUT', { field: 'first' });
  });

  it('refuses a cursor it did not hand out with BAD_USER_INPUT', async () => {
    const notAnId = Buffer.from('GPC:S:not-a-uuid').toString('base64');
    for (const after of ['garbage', notAnId]) {
      expectError(await usersPage({ after }), 'BAD_USER_INPUT', { field: 'after' });
    }
  });

  it('checks who is asking before the arguments', async () => {
    expectError(await usersPage({ first: -1 }, null), 'UNAUTHENTICATED');
    expectError(await usersPage({ first: -1 }, user.accessToken), 'FORBIDDEN');
  });
});
