import { PGlite } from '@electric-sql/pglite';

// PGlite touches all of PostgreSQL's default 128 MB of shared buffers at start.
// An auth database's hot rows fit in far less, and the files stay in the OS cache.
export const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];
