import { describe, expect, it } from 'vitest';
import { createPasswordHasher } from '../../src/auth/accounts/password-hasher.ts';

describe('the password hasher', () => {
  it('hashes first come, first served, however long its queue', async () => {
    const hasher = createPasswordHasher({ cost: 4, threads: 1, niceIncrement: 0 });
    try {
      const finished: number[] = [];
      await Promise.all(Array.from({ length: 8 }, (_, i) => hasher.hash(`password-${i}`).then(() => finished.push(i))));
      expect(finished).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    } finally {
      await hasher.close();
    }
  });
});
