// Turns each SyncRequested in the log into one graphile-worker job `sync_run`. The job key is the sync id
// (a repeat adds nothing new), and the queue is `sync:{tenant}:{type}`, which graphile runs one job at a
// time: a second run of the same tenant and type waits behind the first. The dispatcher's checkpoint is
// saved in the same transaction as add_job, so a crash can neither lose a request nor enqueue it twice,
// and several worker processes can run a dispatcher each (the checkpoint row, locked, decides).

import { setTimeout as sleep } from 'node:timers/promises';
import { type EventStore, type LogPosition, type RecordedEvent, type SyncRequested, isAfter } from '@qbo-sync/domain';
import { type Kysely, type Transaction, sql } from 'kysely';
import type { Logger } from 'pino';

export const SYNC_RUN_TASK = 'sync_run';
const NAME = 'sync_run';

export interface SyncRunPayload {
  readonly syncId: string;
  readonly tenantId: string;
  readonly recordType: string;
}

export const syncQueueName = (tenantId: string, recordType: string) => `sync:${tenantId}:${recordType}`;

export interface SyncDispatcher {
  stop(): Promise<void>;
}

const readCheckpoint = async (db: Kysely<unknown> | Transaction<unknown>, lock: boolean): Promise<LogPosition | null> => {
  const { rows } = await sql<{ commit_position: string | null; prepare_position: string | null }>`
    SELECT commit_position, prepare_position FROM sync_dispatcher_checkpoints WHERE dispatcher = ${NAME}
    ${lock ? sql`FOR UPDATE` : sql``}`.execute(db);
  const row = rows[0];
  return row?.commit_position == null || row.prepare_position == null ? null : { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) };
};

/** Enqueues the jobs of one batch and moves the checkpoint, all or nothing. */
export const dispatchBatch = async (db: Kysely<unknown>, workerSchema: string, events: readonly RecordedEvent[]): Promise<number> =>
  db.transaction().execute(async (trx) => {
    await sql`INSERT INTO sync_dispatcher_checkpoints (dispatcher) VALUES (${NAME}) ON CONFLICT DO NOTHING`.execute(trx);
    const stored = await readCheckpoint(trx, true);
    const fresh = events.filter((event) => event.type === 'SyncRequested' && isAfter(event.position, stored));
    for (const event of fresh) {
      const data = (event as RecordedEvent<'SyncRequested', SyncRequested['data']>).data;
      const payload: SyncRunPayload = { syncId: data.syncId, tenantId: data.tenantId, recordType: data.recordType };
      await sql`SELECT ${sql.id(workerSchema)}.add_job(
        ${SYNC_RUN_TASK}, ${JSON.stringify(payload)}::json,
        queue_name => ${syncQueueName(data.tenantId, data.recordType)},
        max_attempts => 25,
        job_key => ${data.syncId},
        job_key_mode => 'preserve_run_at')`.execute(trx);
    }
    const last = events[events.length - 1];
    if (last !== undefined && isAfter(last.position, stored)) {
      await sql`UPDATE sync_dispatcher_checkpoints SET commit_position = ${last.position.commit.toString()}, prepare_position = ${last.position.prepare.toString()}, updated_at = now()
        WHERE dispatcher = ${NAME}`.execute(trx);
    }
    return fresh.length;
  });

export const startSyncDispatcher = (options: { db: Kysely<unknown>; eventStore: EventStore; workerSchema: string; logger: Logger }): SyncDispatcher => {
  const logger = options.logger.child({ component: 'sync-dispatcher' });
  let stopped = false;
  let current: { stop(): Promise<void> } | null = null;
  const loop = (async () => {
    for (let failures = 0; !stopped; ) {
      try {
        const from = await readCheckpoint(options.db, false);
        const subscription = options.eventStore.subscribe({ from: from ?? 'start', filter: { categories: ['sync'], eventTypes: ['SyncRequested'] }, batchSize: 100 });
        current = subscription;
        if (stopped) await subscription.stop();
        for await (const batch of subscription) {
          const count = await dispatchBatch(options.db, options.workerSchema, batch);
          if (count > 0) logger.info({ count }, 'sync runs enqueued');
          failures = 0;
        }
      } catch (error) {
        if (stopped) break;
        failures += 1;
        logger.error({ err: error instanceof Error ? { name: error.name, message: error.message } : String(error), failures }, 'sync dispatcher failed; resuming from its checkpoint');
        await sleep(Math.min(30_000, 250 * 2 ** failures));
      }
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await current?.stop();
      await loop;
    },
  };
};
