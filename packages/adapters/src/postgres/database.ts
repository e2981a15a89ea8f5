// Creates the Kysely handle over a pg pool. node-postgres returns int8 and xid8 as strings; we keep that
// and convert to bigint at each adapter's edge, where the column's meaning is known.

import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';

export interface DatabaseOptions {
  readonly connectionString: string;
  readonly maxConnections?: number;
  readonly applicationName?: string;
  readonly onIdleError?: (error: Error) => void;
}

export const createPool = (options: DatabaseOptions): pg.Pool => {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName ?? 'qbo-sync',
  });
  // An idle client whose connection drops (server restart, admin kill) must not crash the process: the
  // pool discards it and the next query opens a new one.
  pool.on('error', (error) => options.onIdleError?.(error));
  return pool;
};

export const createDatabase = <Schema>(pool: pg.Pool): Kysely<Schema> =>
  new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
