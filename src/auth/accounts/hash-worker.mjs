// Runs in a piscina worker thread: bcrypt's work, off the event loop.
// Plain JavaScript so that any runtime (tsx, a test runner) can load it as it is.
import bcrypt from 'bcryptjs';

/** @param {{ op: 'hash', password: string, cost: number } | { op: 'compare', password: string, hash: string }} task */
export default function run(task) {
  return task.op === 'hash' ? bcrypt.hashSync(task.password, task.cost) : bcrypt.compareSync(task.password, task.hash);
}
