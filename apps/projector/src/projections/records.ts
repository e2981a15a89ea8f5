// The `records` read model (every local record with its content, its QBO link and its sync status), folded
// from record events with the records decider's own evolve. The folding lives in the adapters, beside the
// queries the api and the worker use, so the two cannot drift apart.

import { RECORDS_CATEGORIES, RECORDS_PROJECTION, projectRecords, resetRecords } from '@qbo-sync/adapters/read-models';
import type { Kysely } from 'kysely';
import type { Projection } from '../projection.js';

export const recordsProjection: Projection = {
  name: RECORDS_PROJECTION,
  filter: { categories: RECORDS_CATEGORIES },
  // The runner's transaction is typed with the projector's tables; these rows are the adapters' own.
  apply: (trx, events) => projectRecords(trx as unknown as Kysely<unknown>, events),
  reset: (trx) => resetRecords(trx as unknown as Kysely<unknown>),
};
