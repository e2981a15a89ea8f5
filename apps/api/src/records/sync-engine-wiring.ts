// Builds the sync engine's api parts over the api's database: the Postgres event store, the record and sync
// command handlers, the tenant directory, and the routers (records, review, syncs, settings). Called once from the
// composition root.

import { createPostgresEventStore, createRecordCommandHandler, createSyncCommandHandler } from '@qbo-sync/adapters';
import type { createDatabase } from '@qbo-sync/adapters';
import type express from 'express';
import type { AuthTables } from '../auth/auth-tables.js';
import { createTenantStore } from '../auth/tenant-store.js';
import { syncSettingsRoutes } from '../syncs/sync-settings-routes.js';
import { syncsRoutes } from '../syncs/syncs-routes.js';
import { recordsRoutes } from './records-routes.js';
import { reviewRoutes } from './review-routes.js';
import { createTenantDirectory } from './route-support.js';

export const syncEngineRoutes = (options: { db: ReturnType<typeof createDatabase<unknown>>; databaseUrl: string; now?: () => Date }): express.Router[] => {
  // The api only appends and reads streams; this store never subscribes, so it holds no connection of its own.
  const eventStore = createPostgresEventStore({ db: options.db, connectionString: options.databaseUrl });
  const tenants = createTenantDirectory(createTenantStore(options.db.withTables<AuthTables>()));
  const records = createRecordCommandHandler(eventStore);
  const syncs = createSyncCommandHandler(eventStore);
  const clock = options.now === undefined ? {} : { now: options.now };
  return [
    recordsRoutes({ db: options.db, commands: records, tenants, ...clock }),
    reviewRoutes({ commands: records, tenants, ...clock }),
    syncsRoutes({ db: options.db, commands: syncs, tenants, ...clock }),
    syncSettingsRoutes({ db: options.db, commands: syncs, tenants, ...clock }),
  ];
};
