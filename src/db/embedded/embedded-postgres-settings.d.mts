/** PGlite's start parameters for the service: PostgreSQL's defaults with smaller shared buffers. */
export declare const PGLITE_START_PARAMS: string[];
