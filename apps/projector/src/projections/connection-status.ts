// The connection_status read model (company, realm, health, token expiries, last refresh, sync and error
// per tenant), folded from connection events and SyncCompleted. The folding lives in the adapters, beside
// the query that reads it, so the two cannot drift apart.

import { CONNECTION_STATUS_CATEGORIES, projectConnectionStatus, resetConnectionStatus } from '@qbo-sync/adapters/read-models';
import type { Kysely } from 'kysely';
import type { Projection } from '../projection.js';

export const connectionStatusProjection: Projection = {
  name: 'connection_status',
  filter: { categories: CONNECTION_STATUS_CATEGORIES },
  // The runner's transaction is typed with the projector's tables; these rows are the adapters' own.
  apply: (trx, events) => projectConnectionStatus(trx as unknown as Kysely<unknown>, events),
  reset: (trx) => resetConnectionStatus(trx as unknown as Kysely<unknown>),
};
