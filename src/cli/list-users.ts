import { liveSessionFilter } from '../auth/sessions/live-session.ts';
import type { Services } from '../services.ts';

export interface UserRow {
  id: string;
  email: string;
  name: string | null;
  role: string;
  createdAt: string;
  liveSessions: number;
}

/** Every user, oldest first, with a count of live sessions, in one query. */
export async function listUsers(services: Pick<Services, 'prisma' | 'limits' | 'clock'>): Promise<UserRow[]> {
  const users = await services.prisma.user.findMany({
    orderBy: { id: 'asc' },
    select: {
      id: true,
      email: true,
      name: true,
      role: true,
      createdAt: true,
      _count: { select: { sessions: { where: liveSessionFilter(services.limits, services.clock.now()) } } },
    },
  });
  return users.map(({ _count, createdAt, ...user }) => ({
    ...user,
    createdAt: createdAt.toISOString(),
    liveSessions: _count.sessions,
  }));
}

/** The rows as a table with a header, columns padded to their widest cell. */
export function formatUserTable(rows: readonly UserRow[]): string {
  const header = ['ID', 'EMAIL', 'ROLE', 'CREATED', 'SESSIONS'];
  const cells = rows.map((row) => [row.id, row.email, row.role, row.createdAt, String(row.liveSessions)]);
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((line) => line[i]?.length ?? 0)));
  const line = (values: string[]) =>
    values
      .map((value, i) => value.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const count = `${rows.length} user${rows.length === 1 ? '' : 's'}`;
  return `${[line(header), ...cells.map(line), count].join('\n')}\n`;
}
