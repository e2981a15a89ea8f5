// Builds the api's routers over the application's use cases and the read models: records, review, syncs,
// sync settings and the event feed. Called once from the composition root with the process's event store.

import type { createDatabase } from '@qbo-sync/adapters/postgres';
import type { EventStore } from '@qbo-sync/domain';
import type express from 'express';
import type { AuthTables } from '../auth/auth-tables.js';
import { createTenantStore } from '../auth/tenant-store.js';
import { eventsRoutes } from '../events/events-routes.js';
import { syncSettingsRoutes } from '../syncs/sync-settings-routes.js';
import { syncsRoutes } from '../syncs/syncs-routes.js';
import { recordsRoutes } from './records-routes.js';
import { reviewRoutes } from './review-routes.js';
import { createTenantDirectory } from './route-support.js';

export const applicationRoutes = (options: { db: ReturnType<typeof createDatabase<unknown>>; eventStore: EventStore; now?: () => Date }): express.Router[] => {
  const tenants = createTenantDirectory(createTenantStore(options.db.withTables<AuthTables>()));
  const shared = { db: options.db, eventStore: options.eventStore, tenants, ...(options.now === undefined ? {} : { now: options.now }) };
  return [recordsRoutes(shared), reviewRoutes(shared), syncsRoutes(shared), syncSettingsRoutes(shared), eventsRoutes(shared)];
};
