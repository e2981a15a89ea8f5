// One sync run, from its stream `sync-{syncId}` to its end: a finished run is left alone (the job may be
// delivered again), SyncStarted is written once, the run waits until the records read model has caught
// up with the log (it plans from it), the push or pull executor does the work, and SyncCompleted carries
// the counts, with outcome `completed_with_failures` whenever a record failed. Every event id is derived
// from the sync id, so a run resumed after a crash appends nothing twice.

import { setTimeout as sleep } from 'node:timers/promises';
import { type EventStore, type NewEvent, type SyncCounts, type SyncRequested, comparePositions } from '@qbo-sync/domain';
import { type Kysely, sql } from 'kysely';
import type { Logger } from 'pino';
import { deterministicUuid } from './deterministic-id.js';

export interface SyncExecution {
  readonly counts: SyncCounts;
  readonly cursor: string | null;
  readonly plan: unknown | null;
}

export interface SyncExecutionContext {
  readonly logger: Logger;
  /** An earlier attempt of this run started (a job retry, a dead worker): records it already did count as this run's. */
  readonly resumed?: boolean;
}

export type SyncExecutor = (request: SyncRequested['data'], context: SyncExecutionContext) => Promise<SyncExecution>;

export interface SyncRunnerOptions {
  readonly db: Kysely<unknown>;
  readonly eventStore: EventStore;
  readonly logger: Logger;
  readonly workerId: string;
  readonly push: SyncExecutor;
  readonly pull: SyncExecutor;
  /** Longest wait for the records read model; a run that cannot plan from fresh data fails the job (graphile retries). */
  readonly readModelWaitMs?: number;
  readonly now?: () => Date;
}

export type SyncRunResult = 'already_finished' | 'completed' | 'completed_with_failures' | 'failed';

export const syncStreamName = (syncId: string) => `sync-${syncId}`;

export const EMPTY_COUNTS: SyncCounts = { planned: 0, created: 0, updated: 0, matched: 0, skipped: 0, failed: 0, review: 0 };

export class ReadModelBehindError extends Error {
  override readonly name = 'ReadModelBehindError';
}

/** The projection a push plans from: it must have seen every record event written before the run plans. */
export const waitForRecordsReadModel = async (db: Kysely<unknown>, timeoutMs: number, projection = 'records'): Promise<void> => {
  const { rows } = await sql<{ transaction_id: string; global_position: string }>`
    SELECT transaction_id::text AS transaction_id, global_position FROM events WHERE category = 'record'
    ORDER BY transaction_id DESC, global_position DESC LIMIT 1`.execute(db);
  const target = rows[0];
  if (target === undefined) return;
  const wanted = { commit: BigInt(target.transaction_id), prepare: BigInt(target.global_position) };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows: checkpoint } = await sql<{ commit_position: string | null; prepare_position: string | null }>`
      SELECT commit_position, prepare_position FROM projection_checkpoints WHERE projection = ${projection}`.execute(db);
    const row = checkpoint[0];
    if (row?.commit_position != null && row.prepare_position != null) {
      if (comparePositions({ commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) }, wanted) >= 0) return;
    }
    if (Date.now() > deadline) throw new ReadModelBehindError(`the ${projection} read model did not catch up with the log within ${timeoutMs} ms: is the projector running?`);
    await sleep(50);
  }
};

export const createSyncRunner = (options: SyncRunnerOptions) => {
  const now = options.now ?? (() => new Date());
  const readModelWaitMs = options.readModelWaitMs ?? 60_000;

  const append = async (syncId: string, tenantId: string, type: string, data: Record<string, unknown>) => {
    const event: NewEvent = {
      id: deterministicUuid('sync-run', syncId, type),
      type,
      data: { syncId, ...data, at: now().toISOString() },
      metadata: { tenantId, correlationId: syncId, causationId: syncId, actor: { type: 'system', id: 'sync-worker' }, schemaVersion: 1 },
    };
    await options.eventStore.appendToStream(syncStreamName(syncId), [event], { expectedRevision: 'stream_exists' });
  };

  return {
    /** Runs (or resumes) one sync. `lastAttempt`: a failure is final and is written as SyncFailed. */
    run: async (syncId: string, { lastAttempt }: { lastAttempt: boolean }): Promise<SyncRunResult> => {
      const stream = await options.eventStore.readStream(syncStreamName(syncId));
      const requested = stream.events.find((event) => event.type === 'SyncRequested');
      if (requested === undefined) throw new Error(`sync ${syncId} has no SyncRequested event`);
      if (stream.events.some((event) => ['SyncCompleted', 'SyncFailed', 'SyncCancelled'].includes(event.type))) return 'already_finished';
      const request = requested.data as SyncRequested['data'];
      const logger = options.logger.child({ syncId, tenantId: request.tenantId, recordType: request.recordType, direction: request.direction });
      const resumed = stream.events.some((event) => event.type === 'SyncStarted');
      if (!resumed) {
        await append(syncId, request.tenantId, 'SyncStarted', { workerId: options.workerId });
      }
      try {
        await waitForRecordsReadModel(options.db, readModelWaitMs);
        const execute = request.direction === 'push' ? options.push : options.pull;
        const result = await execute(request, { logger, resumed });
        const outcome = result.counts.failed > 0 ? 'completed_with_failures' : 'completed';
        await append(syncId, request.tenantId, 'SyncCompleted', { counts: result.counts, cursor: result.cursor, plan: result.plan, outcome });
        logger.info({ counts: result.counts, outcome }, 'sync run finished');
        return outcome;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        logger.error({ err: error instanceof Error ? { name: error.name, message: error.message } : reason, lastAttempt }, 'sync run failed');
        if (!lastAttempt) throw error;
        await append(syncId, request.tenantId, 'SyncFailed', { reason, counts: null });
        return 'failed';
      }
    },
  };
};

export type SyncRunner = ReturnType<typeof createSyncRunner>;
