import { describe, expect } from 'vitest';
import { findLoginAccount } from '../../src/auth/accounts/login-account.ts';
import { enrolledSelect, enrolledSql, offersOf } from '../../src/auth/second-factor/factors.ts';
import { METHODS } from '../../src/methods.ts';
import { findLiveSession, liveSessionFilter } from '../../src/auth/sessions/live-session.ts';
import type { SessionLimits } from '../../src/auth/sessions/sessions.ts';
import {
  addPasskey,
  enableTotp,
  expectNoErrors,
  newAuthenticator,
  SET_UP_TOTP,
  signUp,
  type TestApp,
  verifyAddress,
} from '../fixtures/index.ts';
import { test as it } from '../fixtures/suite.ts';

let t: TestApp;
it.beforeAll(({ app }) => {
  t = app;
});

/** The lookup as a request makes it, with the second factors of the methods in force. */
const live = () => ({ sql: t.services.sql, enrolledSql: enrolledSql(METHODS) });

async function signedInSession() {
  const account = await signUp(t, { name: 'Grace' });
  return { sid: account.sessionId, sub: account.userId };
}

describe('the live-session lookup in SQL', () => {
  it('reads exactly the rows Prisma reads, every column of both models', async () => {
    const claims = await signedInSession();
    await t.services.prisma.user.update({ where: { id: claims.sub }, data: { role: 'ADMIN' } });
    const viaPrisma = await t.services.prisma.session.findUniqueOrThrow({
      where: { id: claims.sid },
      include: { user: true },
    });
    const { user, ...session } = viaPrisma;
    expect(await findLiveSession(live(), claims, t.services.limits, t.clock.now())).toStrictEqual({
      session,
      user,
      secondFactor: false,
    });
  });

  it('agrees with the Prisma filter on when a session has ended', async () => {
    const claims = await signedInSession();
    const session = await t.services.prisma.session.findUniqueOrThrow({ where: { id: claims.sid } });
    const idleLimits = t.services.limits;
    const ageLimits = { ...idleLimits, refreshTokenTtlSeconds: 10 * 365 * 86400 };
    const idleEnd = new Date(session.lastUsedAt.getTime() + idleLimits.refreshTokenTtlSeconds * 1000);
    const justBefore = (end: Date) => new Date(end.getTime() - 1);

    // Both lookups are asked about the same instant; the service's own time by default.
    const liveBySql = async (limits: SessionLimits, at = t.clock.now(), who = claims) =>
      (await findLiveSession(live(), who, limits, at)) !== null;
    const liveByPrisma = async (limits: SessionLimits, at = t.clock.now()) =>
      (await t.services.prisma.session.count({ where: { id: claims.sid, ...liveSessionFilter(limits, at) } })) === 1;
    const cases: Array<[SessionLimits, Date, boolean]> = [
      [idleLimits, justBefore(idleEnd), true],
      [idleLimits, idleEnd, false],
      [ageLimits, justBefore(session.expiresAt), true],
      [ageLimits, session.expiresAt, false],
    ];
    for (const [limits, at, live] of cases) {
      expect(await liveBySql(limits, at)).toBe(live);
      expect(await liveByPrisma(limits, at)).toBe(live);
    }
    expect(await liveBySql(idleLimits, undefined, { ...claims, sub: '00000000-0000-7000-8000-000000000000' })).toBe(
      false,
    );

    expect(await liveBySql(idleLimits)).toBe(true);
    expect(await liveByPrisma(idleLimits)).toBe(true);
    await t.services.prisma.session.update({ where: { id: claims.sid }, data: { revokedAt: t.clock.now() } });
    expect(await liveBySql(idleLimits)).toBe(false);
    expect(await liveByPrisma(idleLimits)).toBe(false);
  });
});

describe("the login's account lookup in SQL", () => {
  // What Prisma reads of the account, with what each method's `enrolledSelect` makes of it.
  async function viaPrisma(email: string) {
    const found = await t.services.prisma.user.findUnique({ where: { email } });
    const enrolled = await t.services.prisma.user.findUnique({ where: { email }, select: enrolledSelect(METHODS) });
    return found && enrolled && { ...found, secondFactorOffers: offersOf(METHODS, enrolled) };
  }

  it('reads what Prisma reads: the user, and what a challenge offers it', async () => {
    const plain = await signUp(t, { name: 'Ada' });
    expect(await findLoginAccount(t.services, plain.email)).toStrictEqual(await viaPrisma(plain.email));
    expect((await findLoginAccount(t.services, plain.email))?.secondFactorOffers).toEqual([]);

    // An app set up and not confirmed yet offers nothing; one confirmed does.
    const pending = await signUp(t);
    await verifyAddress(t, pending);
    expectNoErrors(await t.graphql(SET_UP_TOTP, { password: pending.password }, { token: pending.accessToken }));
    expect((await findLoginAccount(t.services, pending.email))?.secondFactorOffers).toEqual([]);
    expect(await findLoginAccount(t.services, pending.email)).toStrictEqual(await viaPrisma(pending.email));

    const confirmed = await signUp(t);
    await enableTotp(t, confirmed);
    expect((await findLoginAccount(t.services, confirmed.email))?.secondFactorOffers).toEqual([
      'TOTP',
      'RECOVERY_CODE',
    ]);
    expect(await findLoginAccount(t.services, confirmed.email)).toStrictEqual(await viaPrisma(confirmed.email));

    const withPasskey = await signUp(t);
    await verifyAddress(t, withPasskey);
    await addPasskey(t, withPasskey, newAuthenticator());
    expect((await findLoginAccount(t.services, withPasskey.email))?.secondFactorOffers).toEqual(['PASSKEY']);
    expect(await findLoginAccount(t.services, withPasskey.email)).toStrictEqual(await viaPrisma(withPasskey.email));

    expect(await findLoginAccount(t.services, 'nobody@example.com')).toBeNull();
  });
});
