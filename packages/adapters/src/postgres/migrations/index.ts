// Every schema change, in order. Kept as an explicit list (not a folder scan) so it works the same under
// tsx, vitest and a bundler. Append new migrations at the end; never edit one that has shipped.

import type { Migration } from 'kysely';
import { eventStoreTables } from './0001-event-store.js';
import { projectionTables } from './0002-projections.js';
import { connectionTables } from './0003-connection.js';
import { recordsTables } from './0004-records.js';
import { syncRuntimeTables } from './0005-sync-runtime.js';
import { authTables } from './0006-auth.js';
import { recordDirectoryTables } from './0007-record-directory.js';

export const migrations: Record<string, Migration> = {
  '0001-event-store': eventStoreTables,
  '0002-projections': projectionTables,
  '0003-connection': connectionTables,
  '0004-records': recordsTables,
  '0005-sync-runtime': syncRuntimeTables,
  '0006-auth': authTables,
  '0007-record-directory': recordDirectoryTables,
};
