// Use case: retry a finished run's failures as a new run over just those records. The failures come from the
// run's own stream (its page events name each record's final outcome). One retry per run: asking twice
// answers the same retry run; the retry's own failures are retried from it.

import { type EventStore, isFinished, recordsWithOutcome, syncDecider, syncStreamName } from '@qbo-sync/domain';
import type { CommandContext } from '../shared/command-context.js';
import { loadState } from '../shared/handle-command.js';
import { type RequestSyncResult, requestSync } from './request-sync.js';
import { NothingToRetryError, RunNotFinishedError, SyncNotFoundError } from './sync-request-errors.js';

/** Most local ids one run may name; more failures take several retries. */
export const MAX_SCOPE_IDS = 1000;

export interface RetryFailedResult extends RequestSyncResult {
  readonly retrying: number;
  /** Failures beyond one run's limit: retry them from the retry run once it has finished. */
  readonly remaining: number;
}

export const retryFailedRecords = async (
  deps: { readonly eventStore: EventStore },
  input: { readonly tenantId: string; readonly syncId: string; readonly newSyncId: string; readonly at: string },
  context: CommandContext,
): Promise<RetryFailedResult> => {
  const { state } = await loadState(deps.eventStore, syncStreamName(input.syncId), syncDecider);
  if (state.status === 'none' || state.tenantId !== input.tenantId || state.recordType === null || state.direction === null) throw new SyncNotFoundError(input.tenantId, input.syncId);
  if (!isFinished(state)) throw new RunNotFinishedError(input.syncId, state.status);
  const failed = recordsWithOutcome(state, 'failed').filter((record) => record.recordType === state.recordType).map((record) => record.localId).sort();
  if (failed.length === 0) throw new NothingToRetryError(input.syncId, state.recordType);
  const ids = failed.slice(0, MAX_SCOPE_IDS);
  const result = await requestSync(
    deps,
    { tenantId: input.tenantId, recordType: state.recordType, direction: state.direction, scope: { kind: 'ids', localIds: ids }, dryRun: false, retryOf: input.syncId, newSyncId: input.newSyncId, at: input.at },
    context,
  );
  const retrying = result.request.scope.kind === 'ids' ? result.request.scope.localIds.length : ids.length;
  return { ...result, retrying, remaining: Math.max(0, failed.length - MAX_SCOPE_IDS) };
};
