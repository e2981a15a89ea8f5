// Use case: the worker runs (or resumes) one sync. A finished run is left alone (the job may be delivered
// again); SyncStarted is written at every start, so a restart after a crash shows in the run's history; the
// push or pull does the work page by page, each page recorded with the run; SyncCompleted carries the totals
// folded from those pages (with the pull's next cursor, moved in the same append). A failure on the job's last
// attempt is final and is written as SyncFailed; before that, the job is retried and the run resumes. A lost
// connection (Intuit refused the grant, or the tenant was disconnected) is final at the first attempt, with
// where to reconnect: the task then ends without throwing, so the job queue does not retry it.

import {
  type StreamAppend,
  isWrongExpectedRevision,
  type SyncRequested,
  isFinished,
  pullCursorDecider,
  pullCursorStreamName,
  syncDecider,
  syncStreamName,
} from '@qbo-sync/domain';
import { SYNC_WORKER } from '../shared/command-context.js';
import { decideOnStream, foldRead, handleCommand, toStreamAppend } from '../shared/handle-command.js';
import { runPull } from './pull/run-pull.js';
import { connectionLostReason } from './connection-lost.js';
import { rereadRun } from './record-page.js';
import { type RunResult, runPush } from './push/run-push.js';
import type { SyncDeps } from './sync-deps.js';
import { RunTakenOverError, type SyncRun, syncRunOf } from './sync-run.js';

export type SyncRunOutcome = 'already_finished' | 'completed' | 'completed_with_failures' | 'failed' | 'taken_over';

export class SyncNotRequestedError extends Error {
  override readonly name = 'SyncNotRequestedError';
  constructor(readonly syncId: string) {
    super(`sync ${syncId} has no SyncRequested event`);
  }
}

const complete = async (deps: SyncDeps, result: RunResult): Promise<'completed' | 'completed_with_failures'> => {
  try {
    return await completeAt(deps, result.run, result);
  } catch (error) {
    // A throttle note after the last page moved the run's stream: decide again on it as it stands.
    if (!isWrongExpectedRevision(error) || error.streamName !== result.run.streamName) throw error;
    return completeAt(deps, await rereadRun(deps, result.run), result);
  }
};

const completeAt = async (deps: SyncDeps, run: SyncRun, result: RunResult): Promise<'completed' | 'completed_with_failures'> => {
  const { tenantId, recordType, syncId, direction, dryRun } = run.request;
  const at = deps.now().toISOString();
  const completed = decideOnStream(syncDecider, run.streamName, { streamExists: true, currentRevision: run.revision, events: [] }, [{ type: 'CompleteSync', cursor: result.cursor, plan: result.plan, at }], run.state);
  const appends: (StreamAppend | null)[] = [toStreamAppend(tenantId, run.context, completed)];
  if (direction === 'pull' && !dryRun && result.cursor !== null) {
    const stream = pullCursorStreamName(tenantId, recordType);
    const moved = decideOnStream(pullCursorDecider, stream, await deps.eventStore.readStream(stream), [{ type: 'MovePullCursor', recordType, cursor: result.cursor, syncId, at }]);
    appends.push(toStreamAppend(tenantId, run.context, moved));
  }
  await deps.eventStore.appendToStreams(appends.filter((append): append is StreamAppend => append !== null));
  return completed.state.status === 'completed_with_failures' ? 'completed_with_failures' : 'completed';
};

export const runSync = async (deps: SyncDeps, input: { readonly syncId: string; readonly workerId: string; readonly lastAttempt: boolean }): Promise<SyncRunOutcome> => {
  const { syncId } = input;
  const stream = syncStreamName(syncId);
  const read = await deps.eventStore.readStream(stream);
  const state = foldRead(syncDecider, read);
  if (state.status === 'none') throw new SyncNotRequestedError(syncId);
  if (isFinished(state)) return 'already_finished';
  const request = read.events[0]?.data as SyncRequested['data'];
  const context = { correlationId: syncId, causationId: syncId, actor: SYNC_WORKER };
  const started = await handleCommand(deps.eventStore, stream, syncDecider, { type: 'StartSync', workerId: input.workerId, at: deps.now().toISOString() }, { tenantId: request.tenantId, context });
  const run: SyncRun = syncRunOf(request, started.state, started.revision ?? 0n);
  try {
    const result = request.direction === 'push' ? await runPush(deps, run) : await runPull(deps, run);
    const outcome = await complete(deps, result);
    deps.logger.info({ syncId, counts: result.run.state.counts, outcome }, 'sync run finished');
    return outcome;
  } catch (error) {
    if (error instanceof RunTakenOverError) {
      deps.logger.warn({ syncId }, 'another worker runs this sync; leaving it');
      return 'taken_over';
    }
    const lost = connectionLostReason(error, request.tenantId);
    const reason = lost ?? (error instanceof Error ? error.message : String(error));
    deps.logger.error({ syncId, err: error instanceof Error ? { name: error.name, message: error.message } : reason, lastAttempt: input.lastAttempt, final: lost !== null }, 'sync run failed');
    // A lost connection is final at once: retrying would only ask Intuit again for a grant it refused.
    if (!input.lastAttempt && lost === null) throw error;
    // The failure is written against the run as its stream stands now (pages recorded before it stay).
    await handleCommand(deps.eventStore, stream, syncDecider, { type: 'FailSync', reason, at: deps.now().toISOString() }, { tenantId: request.tenantId, context });
    return 'failed';
  }
};

