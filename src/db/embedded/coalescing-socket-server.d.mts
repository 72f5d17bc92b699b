import type { Socket } from 'node:net';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export declare class CoalescingSocketServer extends PGLiteSocketServer {}
export declare function coalesceWrites(socket: Socket): void;
