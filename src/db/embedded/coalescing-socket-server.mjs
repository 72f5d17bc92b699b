import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * PGlite's socket server, writing each answer in one system call. PGlite hands
 * the server an answer message by message, and the server writes each as it
 * comes: four writes for a one-row query. Corked until the end of the tick, they
 * leave together, which took a sixth of the database thread's CPU time per `me`.
 */
export class CoalescingSocketServer extends PGLiteSocketServer {
  /** @param {import('node:net').Socket} socket */
  handleConnection(socket) {
    coalesceWrites(socket);
    return super.handleConnection(socket);
  }
}

/**
 * Makes the writes of one tick to `socket` leave as one.
 * @param {import('node:net').Socket} socket
 */
export function coalesceWrites(socket) {
  const write = socket.write;
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  socket.write = function writeCorked(...args) {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(uncork);
    }
    return write.apply(this, args);
  };
}
