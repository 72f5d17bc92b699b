// Where the machine's CPU time goes during a load, for scripts/bench.ts (Linux /proc,
// clock ticks of 1/100 s): the service's hashing threads (the ones it starts with a
// lower priority), the rest of the service, PostgreSQL's processes, the bench's own
// process (the load generator), the processes it started and waited for (the probe),
// and the time no one used or the host took back.
import { readdir, readFile } from 'node:fs/promises';

/** Fields after the command name of a /proc/…/stat line: utime is [11], stime [12], cutime [13], cstime [14], nice [16]. */
const fieldsOf = (stat: string) => stat.slice(stat.lastIndexOf(') ') + 2).split(' ');

/** The fields of /proc/…/stat at `path`, or none when the process or thread is gone. */
export async function statFields(path: string): Promise<string[]> {
  return fieldsOf(await readFile(path, 'utf8').catch(() => ''));
}

/** The sum of the given fields, in clock ticks. */
export const ticks = (fields: string[], ...indexes: number[]) =>
  indexes.reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);

export interface CpuSnapshot {
  hashing: number;
  serviceOther: number;
  /** Per process: PostgreSQL's come and go (a backend per connection, autovacuum's workers). */
  postgres: Map<number, number>;
  loadGenerator: number;
  waitedChildren: number;
  unused: number;
  total: number;
}

export async function cpuSnapshot(servicePids: number[]): Promise<CpuSnapshot> {
  let hashing = 0;
  let serviceOther = 0;
  for (const pid of servicePids) {
    const tasks = await readdir(`/proc/${pid}/task`).catch(() => []);
    for (const task of tasks) {
      const fields = await statFields(`/proc/${pid}/task/${task}/stat`);
      if (Number(fields[16] ?? 0) > 0) hashing += ticks(fields, 11, 12);
      else serviceOther += ticks(fields, 11, 12);
    }
  }
  const postgres = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const text = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    if (text.includes('(postgres)')) postgres.set(Number(entry), ticks(fieldsOf(text), 11, 12));
  }
  const own = await statFields('/proc/self/stat');
  // The first line of /proc/stat: user nice system idle iowait irq softirq steal …
  const machine = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const [idle = 0, iowait = 0, steal = 0] = [machine[3], machine[4], machine[7]];
  return {
    hashing,
    serviceOther,
    postgres,
    loadGenerator: ticks(own, 11, 12),
    waitedChildren: ticks(own, 13, 14),
    unused: idle + iowait + steal,
    total: machine.reduce((sum, value) => sum + value, 0),
  };
}

/** Each share of the machine's time between two snapshots, in %, with what is left as `other`. */
export function cpuShares(before: CpuSnapshot, after: CpuSnapshot) {
  const delta = (key: Exclude<keyof CpuSnapshot, 'postgres'>) => after[key] - before[key];
  // A process that ended in between is not counted: its time falls under `other`.
  let postgres = 0;
  for (const [pid, spent] of after.postgres) postgres += spent - (before.postgres.get(pid) ?? 0);
  const total = Math.max(delta('total'), 1);
  const share = (value: number) => (100 * value) / total;
  const named = {
    hashing: share(delta('hashing')),
    serviceOther: share(delta('serviceOther')),
    postgres: share(postgres),
    probe: share(delta('waitedChildren')),
    loadGenerator: share(delta('loadGenerator')),
    unused: share(delta('unused')),
  };
  const other = 100 - Object.values(named).reduce((sum, value) => sum + value, 0);
  return { ...named, other };
}
