import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findLoginAccount } from '../../src/auth/accounts/login-account.ts';
import { SECOND_FACTORS } from '../../src/auth/second-factor/codes.ts';
import { findLiveSession, liveSessionFilter, type SessionLimits } from '../../src/auth/sessions/sessions.ts';
import {
  createTestApp,
  enableTotp,
  expectNoErrors,
  SET_UP_TOTP,
  signUp,
  type TestApp,
  verifyAddress,
} from '../fixtures/index.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

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
    expect(await findLiveSession(t.services.sql, claims, t.services.limits, t.clock.now())).toStrictEqual({
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
      (await findLiveSession(t.services.sql, who, limits, at)) !== null;
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
  const viaPrisma = (email: string) => t.services.prisma.user.findUnique({ where: { email }, include: SECOND_FACTORS });

  it('reads what Prisma reads: the user, its authenticator app and its passkeys', async () => {
    const plain = await signUp(t, { name: 'Ada' });
    expect(await findLoginAccount(t.services.sql, plain.email)).toStrictEqual(await viaPrisma(plain.email));

    // An app set up and not confirmed yet, then one confirmed.
    const pending = await signUp(t);
    await verifyAddress(t, pending);
    expectNoErrors(await t.graphql(SET_UP_TOTP, { password: pending.password }, { token: pending.accessToken }));
    const pendingRow = await findLoginAccount(t.services.sql, pending.email);
    expect(pendingRow?.totp).toEqual({ confirmedAt: null });
    expect(pendingRow).toStrictEqual(await viaPrisma(pending.email));

    const confirmed = await signUp(t);
    await enableTotp(t, confirmed);
    const confirmedRow = await findLoginAccount(t.services.sql, confirmed.email);
    expect(confirmedRow?.totp?.confirmedAt).toBeInstanceOf(Date);
    expect(confirmedRow).toStrictEqual(await viaPrisma(confirmed.email));

    expect(await findLoginAccount(t.services.sql, 'nobody@example.com')).toBeNull();
  });
});
