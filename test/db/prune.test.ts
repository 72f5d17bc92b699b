import { describe, expect } from 'vitest';
import { ENDED_SESSION_RETENTION_SECONDS, pruneEndedSessions } from '../../src/auth/sessions/prune.ts';
import { hashOpaqueToken } from '../../src/crypto/opaque-tokens.ts';
import { expectNoErrors, LOGOUT, REFRESH, signUp, type Account, type TestApp } from '../fixtures/index.ts';
import { test as it } from '../fixtures/suite.ts';

// Sessions and refresh tokens reach their ends the way they do in service:
// used, left idle, revoked, with the service's clock moved forward between.

let t: TestApp;
it.beforeAll(({ app }) => {
  t = app;
});

const DAY = 86400;

const newSession = () => signUp(t, { prefix: 'prune' });

/** Uses a refresh token (which marks its session used) and returns the next one. */
async function refreshed(refreshToken: string): Promise<string> {
  return expectNoErrors(await t.graphql(REFRESH, { refreshToken })).refresh.refreshToken;
}

async function logOut(account: Account) {
  expect(expectNoErrors(await t.graphql(LOGOUT, {}, { token: account.accessToken })).logout).toBe(true);
}

const prune = () => pruneEndedSessions(t.services.prisma, t.services.limits, t.clock.now());

const hex = (hash: Uint8Array) => Buffer.from(hash).toString('hex');

describe('pruning ended sessions', () => {
  it('deletes sessions revoked, expired or idle long ago, with their refresh tokens, and keeps live ones', async () => {
    const { prisma, limits } = t.services;
    // Refreshed a day within the idle limit each time, it ends by its absolute limit only.
    const step = limits.refreshTokenTtlSeconds - DAY;
    const expiredLongAgo = await newSession();
    let refreshToken = expiredLongAgo.refreshToken;
    t.clock.advance(step);
    let age = step;
    refreshToken = await refreshed(refreshToken);
    // Never used: idle long ago, yet still before its own absolute end.
    const idleLongAgo = await newSession();
    while (age + step < limits.sessionMaxAgeSeconds) {
      t.clock.advance(step);
      age += step;
      refreshToken = await refreshed(refreshToken);
    }
    t.clock.advance(limits.sessionMaxAgeSeconds - age);
    const { expiresAt } = await prisma.session.findUniqueOrThrow({ where: { id: expiredLongAgo.sessionId } });
    expect(expiresAt.getTime()).toBeLessThanOrEqual(t.clock.now().getTime());
    const revokedLongAgo = await newSession();
    await logOut(revokedLongAgo);

    t.clock.advance(ENDED_SESSION_RETENTION_SECONDS + DAY);
    const live = await newSession();
    const revokedToday = await newSession();
    await logOut(revokedToday);

    const pruned = await prune();

    expect(pruned.sessions).toBe(3);
    const left = await prisma.session.findMany({ select: { id: true } });
    expect(left.map((s) => s.id).sort()).toEqual([live.sessionId, revokedToday.sessionId].sort());
    const prunedIds = [revokedLongAgo, expiredLongAgo, idleLongAgo].map((account) => account.sessionId);
    expect(await prisma.refreshToken.count({ where: { sessionId: { in: prunedIds } } })).toBe(0);
  });

  it('deletes refresh tokens retired longer ago than REFRESH_TOKEN_TTL, keeping recent ones for reuse detection', async () => {
    const { prisma, limits } = t.services;
    const account = await newSession();
    const second = await refreshed(account.refreshToken);
    t.clock.advance(limits.refreshTokenTtlSeconds - DAY);
    const third = await refreshed(second);
    // The first was retired a day longer ago than REFRESH_TOKEN_TTL, the second two days ago.
    t.clock.advance(2 * DAY);

    const pruned = await prune();

    expect(pruned.refreshTokens).toBe(1);
    const left = await prisma.refreshToken.findMany({
      where: { sessionId: account.sessionId },
      select: { tokenHash: true, retiredAt: true },
      orderBy: { createdAt: 'asc' },
    });
    expect(left.map((row) => ({ hash: hex(row.tokenHash), retired: row.retiredAt !== null }))).toEqual([
      { hash: hex(hashOpaqueToken(second)), retired: true },
      { hash: hex(hashOpaqueToken(third)), retired: false },
    ]);
  });
});
