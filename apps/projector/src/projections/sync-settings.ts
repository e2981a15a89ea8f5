// The `sync_settings` read model: mode, schedule and conflict policy per tenant and record type, from
// `settings-{tenant}` events. Folded in the adapters, beside the query the api and the worker read it with.

import { SYNC_SETTINGS_CATEGORIES, SYNC_SETTINGS_PROJECTION, projectSyncSettings, resetSyncSettings } from '@qbo-sync/adapters/read-models';
import type { Kysely } from 'kysely';
import type { Projection } from '../projection.js';

export const syncSettingsProjection: Projection = {
  name: SYNC_SETTINGS_PROJECTION,
  filter: { categories: SYNC_SETTINGS_CATEGORIES },
  apply: (trx, events) => projectSyncSettings(trx as unknown as Kysely<unknown>, events),
  reset: (trx) => resetSyncSettings(trx as unknown as Kysely<unknown>),
};
