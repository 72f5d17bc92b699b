import { describe, expect, it } from 'vitest';
import { formatUserTable } from '../../src/cli/list-users.ts';

describe('the user table of `npm run admin -- list`', () => {
  it('lines up each column under its title and ends with the count', () => {
    const table = formatUserTable([
      {
        id: 'id-1',
        email: 'ada@example.com',
        name: 'Ada',
        role: 'ADMIN',
        createdAt: '2026-01-02T03:04:05.000Z',
        liveSessions: 2,
      },
      {
        id: 'id-22',
        email: 'bo@example.com',
        name: null,
        role: 'USER',
        createdAt: '2026-01-03T03:04:05.000Z',
        liveSessions: 0,
      },
    ]);
    expect(table).toBe(
      [
        'ID     EMAIL            ROLE   CREATED                   SESSIONS',
        'id-1   ada@example.com  ADMIN  2026-01-02T03:04:05.000Z  2',
        'id-22  bo@example.com   USER   2026-01-03T03:04:05.000Z  0',
        '2 users',
        '',
      ].join('\n'),
    );
  });

  it('says so when there is no user', () => {
    expect(formatUserTable([])).toBe('ID  EMAIL  ROLE  CREATED  SESSIONS\n0 users\n');
  });
});
