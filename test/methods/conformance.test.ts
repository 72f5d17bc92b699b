import { describe, expect } from 'vitest';
import { METHODS } from '../../src/methods.ts';
import {
  createTestApp,
  expectNoErrors,
  ME_SECOND_FACTOR,
  payloadOf,
  RESET_SECOND_FACTOR,
  signUp,
  signUpAdmin,
  type Account,
  type TestApp,
} from '../fixtures/index.ts';
import { test as it } from '../fixtures/suite.ts';
import { DRIVERS, passwordChallenge } from './drivers.ts';

// The same checks for every sign-in method in the list: what the kernel is told
// about a method (its enrolled SQL and select, its amr, its removal, its
// pruning) must be what the method does through the API.

let t: TestApp;
let admin: Account;
it.beforeAll(async ({ app }) => {
  t = app;
  admin = await signUpAdmin(t);
});

const driverOf = (id: string) => {
  const driver = DRIVERS[id];
  if (!driver) throw new Error(`no test driver for the method ${id}`);
  return driver;
};

it('has a driver for every method in the list, and the list has the three methods', () => {
  expect(Object.keys(DRIVERS).sort()).toEqual(METHODS.map((method) => method.id).sort());
  expect(METHODS.map((method) => method.id)).toEqual(['password', 'totp', 'passkeys']);
});

/** What the admin's `users` list says of the account's `secondFactor`. */
async function listedSecondFactor(account: Account): Promise<boolean | undefined> {
  const listed = await t.graphql<{ users: { edges: Array<{ node: { id: string; secondFactor: boolean } }> } }>(
    '{ users(last: 10) { edges { node { id secondFactor } } } }',
    {},
    { token: admin.accessToken },
  );
  return expectNoErrors(listed).users.edges.find(({ node }) => node.id === account.userId)?.node.secondFactor;
}

const meSecondFactor = async (token: string) =>
  expectNoErrors(await t.graphql(ME_SECOND_FACTOR, {}, { token })).me?.secondFactor;

const amrOf = (accessToken: string) => payloadOf(accessToken).amr as string[];

describe.each(METHODS.map((method) => [method.id, method] as const))('the method %s', (id, method) => {
  const driver = driverOf(id);

  // Only the checks that apply to the method are made: a second factor alone signs nobody in.
  if (method.steps.includes('first'))
    it('signs in on its own with its amr (and mfa where the person was verified)', async () => {
      const account = await signUp(t);
      const proof = await driver.enrol(t, account);
      const token = await driver.signIn?.(t, account, proof);
      if (!token) throw new Error(`${id} is a first step and its driver cannot sign in`);
      expect(amrOf(token).filter((value) => value !== 'mfa')).toEqual([...method.amr]);
    });

  const factor = method.secondFactor;
  if (!factor) return;

  it('is enrolled by its SQL exactly when by its Prisma select, before, halfway and after set-up', async () => {
    const enrolledBy = async (account: Account) => {
      const [row] = await t.services.prisma.$queryRawUnsafe<Array<{ enrolled: boolean }>>(
        `SELECT (${factor.enrolledSql}) AS enrolled FROM "User" u WHERE u.id = $1::uuid`,
        account.userId,
      );
      const selected = await t.services.prisma.user.findUniqueOrThrow({
        where: { id: account.userId },
        select: factor.enrolledSelect,
      });
      return { sql: row?.enrolled, prisma: factor.isEnrolled(selected) };
    };
    const account = await signUp(t);
    expect(await enrolledBy(account)).toEqual({ sql: false, prisma: false });
    if (driver.enrolHalfway) {
      await driver.enrolHalfway(t, account);
      expect(await enrolledBy(account)).toEqual({ sql: false, prisma: false });
    }
    await driver.enrol(t, account);
    expect(await enrolledBy(account)).toEqual({ sql: true, prisma: true });
    expect(await factor.count(t.services.prisma, account.userId)).toBeGreaterThan(0);
  });

  it('makes me, the admin list and the login challenge agree that the account has a second factor', async () => {
    const account = await signUp(t);
    expect(await meSecondFactor(account.accessToken)).toBe(false);
    expect(await listedSecondFactor(account)).toBe(false);
    await driver.enrol(t, account);
    expect(await meSecondFactor(account.accessToken)).toBe(true);
    expect(await listedSecondFactor(account)).toBe(true);
    const login = await passwordChallenge(t, account);
    expect(login).toMatchObject({ code: 'SECOND_FACTOR_REQUIRED', methods: [...factor.offers] });
  });

  if (driver.finishChallenge)
    it("finishes a password login: the session's amr is the password's, then its own", async () => {
      const account = await signUp(t);
      const proof = await driver.enrol(t, account);
      const { challenge } = await passwordChallenge(t, account);
      const token = await driver.finishChallenge?.(t, challenge, proof);
      expect(amrOf(token ?? '')).toEqual(['pwd', ...method.amr]);
      expect(await meSecondFactor(token ?? '')).toBe(true);
    });

  it("is removed by an admin's reset: the account signs in with its password alone again", async () => {
    const account = await signUp(t);
    await driver.enrol(t, account);
    const reset = expectNoErrors(
      await t.graphql(RESET_SECOND_FACTOR, { userId: account.userId }, { token: admin.accessToken }),
    );
    expect(reset.resetSecondFactor.secondFactor).toBe(false);
    expect(await factor.count(t.services.prisma, account.userId)).toBe(0);
    expect((await passwordChallenge(t, account)).code).toBeUndefined();
    await t.settle();
    expect(t.mail.findLast((message) => message.to === account.email)?.subject).toMatch(/sign-in settings changed/);
  });

  if (method.prune)
    it('prunes the rows that can never be used again, and keeps the live ones', async () => {
      const prunable = driver.prunable;
      if (!method.prune || !prunable) throw new Error(`${id} prunes rows and its driver cannot make one`);
      // An app of its own time over the same data: days pass for it alone.
      const later = await createTestApp({}, { sharing: t });
      try {
        const account = await signUp(later);
        const proof = await driver.enrol(later, account);
        const abandoned = await prunable.begin(later, account, proof);
        later.clock.advance(2 * 86400);
        const live = await prunable.begin(later, account, proof);
        expect(await prunable.rows(later, account)).toBe(2);

        expect(await method.prune(later.services.prisma, later.clock.now())).toBeGreaterThanOrEqual(1);
        expect(await prunable.rows(later, account)).toBe(1);
        expect((await abandoned()).body.errors).toHaveLength(1);
        expectNoErrors(await live());
      } finally {
        await later.close();
      }
    });
});
