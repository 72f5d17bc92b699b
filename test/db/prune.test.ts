import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDED_SESSION_RETENTION_SECONDS, pruneEndedSessions } from '../../src/auth/sessions/prune.ts';
import { SIGN_UP } from '../helpers/documents.ts';
import { expectData } from '../helpers/expect-graphql.ts';
import { createTestApp, STRONG_PASSWORD, uniqueEmail, type TestApp } from '../helpers/test-app.ts';
import { payloadOf } from '../helpers/tokens.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const DAY = 86400 * 1000;
const longAgo = () => new Date(Date.now() - ENDED_SESSION_RETENTION_SECONDS * 1000 - DAY);

async function newSession(): Promise<string> {
  const { signUp } = expectData(await t.graphql(SIGN_UP, { email: uniqueEmail('prune'), password: STRONG_PASSWORD }));
  return String(payloadOf(signUp.accessToken).sid);
}

describe('pruning ended sessions', () => {
  it('deletes sessions revoked, expired or idle long ago, with their refresh tokens, and keeps live ones', async () => {
    const { prisma } = t.services;
    const live = await newSession();
    const revokedLongAgo = await newSession();
    const revokedToday = await newSession();
    const expiredLongAgo = await newSession();
    const idleLongAgo = await newSession();
    await prisma.session.update({ where: { id: revokedLongAgo }, data: { revokedAt: longAgo() } });
    await prisma.session.update({ where: { id: revokedToday }, data: { revokedAt: new Date() } });
    await prisma.session.update({ where: { id: expiredLongAgo }, data: { expiresAt: longAgo() } });
    await prisma.session.update({
      where: { id: idleLongAgo },
      data: { lastUsedAt: new Date(longAgo().getTime() - t.config.tokens.refreshTokenTtlSeconds * 1000) },
    });

    const pruned = await pruneEndedSessions(prisma, t.services.limits);

    expect(pruned.sessions).toBe(3);
    const left = await prisma.session.findMany({ select: { id: true } });
    expect(left.map((s) => s.id).sort()).toEqual([live, revokedToday].sort());
    expect(
      await prisma.refreshToken.count({ where: { sessionId: { in: [revokedLongAgo, expiredLongAgo, idleLongAgo] } } }),
    ).toBe(0);
  });

  it('deletes refresh tokens retired longer ago than REFRESH_TOKEN_TTL, keeping recent ones for reuse detection', async () => {
    const { prisma } = t.services;
    const session = await newSession();
    const ttlMs = t.config.tokens.refreshTokenTtlSeconds * 1000;
    const [token] = await prisma.refreshToken.findMany({ where: { sessionId: session } });
    await prisma.refreshToken.update({
      where: { id: token!.id },
      data: { retiredAt: new Date(Date.now() - ttlMs - DAY) },
    });
    const recent = await prisma.refreshToken.create({
      data: { sessionId: session, tokenHash: new Uint8Array(32).fill(7), retiredAt: new Date() },
    });

    const pruned = await pruneEndedSessions(prisma, t.services.limits);

    expect(pruned.refreshTokens).toBe(1);
    expect(await prisma.refreshToken.findMany({ where: { sessionId: session }, select: { id: true } })).toEqual([
      { id: recent.id },
    ]);
  });
});
