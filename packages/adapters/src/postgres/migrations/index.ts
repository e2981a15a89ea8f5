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
import { runRecordStepsTable } from './0008-run-record-steps.js';
import { realmThrottleColumns } from './0009-realm-throttle.js';
import { workerLivenessColumns } from './0010-worker-liveness.js';
import { runWaitingColumn } from './0011-run-waiting.js';
import { dropEventsTypeIndex } from './0012-events-type-index.js';
import { apiRateLimitsTable } from './0016-api-rate-limits.js';
import { oauthStateOutcomeColumns } from './0017-oauth-state-outcome.js';
import { eventFeedTable } from './0018-event-feed.js';
import { oauthUsedCodesTable } from './0019-oauth-used-codes.js';

export const migrations: Record<string, Migration> = {
  '0001-event-store': eventStoreTables,
  '0002-projections': projectionTables,
  '0003-connection': connectionTables,
  '0004-records': recordsTables,
  '0005-sync-runtime': syncRuntimeTables,
  '0006-auth': authTables,
  '0007-record-directory': recordDirectoryTables,
  '0008-run-record-steps': runRecordStepsTable,
  '0009-realm-throttle': realmThrottleColumns,
  '0010-worker-liveness': workerLivenessColumns,
  '0011-run-waiting': runWaitingColumn,
  '0012-events-type-index': dropEventsTypeIndex,
  '0016-api-rate-limits': apiRateLimitsTable,
  '0017-oauth-state-outcome': oauthStateOutcomeColumns,
  '0018-event-feed': eventFeedTable,
  '0019-oauth-used-codes': oauthUsedCodesTable,
};
