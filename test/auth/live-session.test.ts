import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findLiveSession, liveSessionFilter, type SessionLimits } from '../../src/auth/sessions/sessions.ts';
import { expectData } from '../helpers/expect-graphql.ts';
import { SIGN_UP } from '../helpers/documents.ts';
import { createTestApp, STRONG_PASSWORD, uniqueEmail, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function signedInSession() {
  const { signUp } = expectData(
    await t.graphql(SIGN_UP, { email: uniqueEmail(), password: STRONG_PASSWORD, name: 'Grace' }),
  );
  const session = await t.services.prisma.session.findFirstOrThrow({ where: { userId: signUp.user.id } });
  return { sid: session.id, sub: signUp.user.id };
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
    expect(await findLiveSession(t.services.sql, claims, t.services.limits)).toStrictEqual({ session, user });
  });

  it('agrees with the Prisma filter on when a session has ended', async () => {
    const claims = await signedInSession();
    const session = await t.services.prisma.session.findUniqueOrThrow({ where: { id: claims.sid } });
    const idleLimits = t.services.limits;
    const ageLimits = { ...idleLimits, refreshTokenTtlSeconds: 10 * 365 * 86400 };
    const idleEnd = new Date(session.lastUsedAt.getTime() + idleLimits.refreshTokenTtlSeconds * 1000);
    const before = (end: Date) => new Date(end.getTime() - 1);

    const liveBySql = async (limits: SessionLimits, at?: Date, who = claims) =>
      (await findLiveSession(t.services.sql, who, limits, at)) !== null;
    const liveByPrisma = async (limits: SessionLimits, at?: Date) =>
      (await t.services.prisma.session.count({ where: { id: claims.sid, ...liveSessionFilter(limits, at) } })) === 1;
    const cases: Array<[SessionLimits, Date, boolean]> = [
      [idleLimits, before(idleEnd), true],
      [idleLimits, idleEnd, false],
      [ageLimits, before(session.expiresAt), true],
      [ageLimits, session.expiresAt, false],
    ];
    for (const [limits, at, live] of cases) {
      expect(await liveBySql(limits, at)).toBe(live);
      expect(await liveByPrisma(limits, at)).toBe(live);
    }
    expect(await liveBySql(idleLimits, undefined, { ...claims, sub: '00000000-0000-7000-8000-000000000000' })).toBe(
      false,
    );

    await t.services.prisma.session.update({ where: { id: claims.sid }, data: { revokedAt: new Date() } });
    expect(await liveBySql(idleLimits)).toBe(false);
    expect(await liveByPrisma(idleLimits)).toBe(false);
  });
});
