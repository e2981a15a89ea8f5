// The sync run read models (`sync_runs`, `sync_run_records`, `sync_cursors`): each run's life and totals, the
// outcome of every record it touched, and where the next pull starts. Folded in the adapters, beside the
// queries that read them.

import { SYNC_RUNS_CATEGORIES, SYNC_RUNS_PROJECTION, projectSyncRuns, resetSyncRuns } from '@qbo-sync/adapters/read-models';
import type { Kysely } from 'kysely';
import type { Projection } from '../projection.js';

export const syncRunsProjection: Projection = {
  name: SYNC_RUNS_PROJECTION,
  filter: { categories: SYNC_RUNS_CATEGORIES },
  apply: (trx, events) => projectSyncRuns(trx as unknown as Kysely<unknown>, events),
  reset: (trx) => resetSyncRuns(trx as unknown as Kysely<unknown>),
};
