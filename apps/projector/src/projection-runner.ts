// Runs one projection: waits for its advisory lock, subscribes from the saved checkpoint, and applies each
// batch atomically with its checkpoint. A failure rolls the batch back, is logged, and is retried from the
// stored checkpoint with exponential backoff. Stops cleanly on stop(), and steps down if its lock is lost.

import type { EventStore, EventSubscription, LogPosition } from '@qbo-sync/domain';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { applyProjectionBatch } from './apply-batch.js';
import { ensureCheckpointRow, readCheckpoint, samePosition } from './checkpoint.js';
import type { Projection } from './projection.js';
import { type HeldLock, withProjectionLock } from './projection-lock.js';
import type { ReadModels } from './read-models.js';

export interface ProjectionRunnerOptions {
  readonly db: Kysely<ReadModels>;
  /** For the lock's dedicated connection. */
  readonly connectionString: string;
  readonly eventStore: EventStore;
  readonly projection: Projection;
  readonly logger: Logger;
  readonly batchSize?: number;
  /** How often a waiting instance retries the lock. */
  readonly lockPollMs?: number;
  /** How often a running instance checks its lock connection and whether a rebuild reset its checkpoint. */
  readonly heartbeatMs?: number;
  readonly retryInitialMs?: number;
  readonly retryMaxMs?: number;
  /** Called after each committed batch (tests and metrics). */
  readonly onBatchApplied?: (count: number, checkpoint: LogPosition) => void;
}

export type ProjectionRunnerState = 'waiting_for_lock' | 'running' | 'retrying' | 'stopped';

export interface ProjectionRunner {
  readonly name: string;
  state(): ProjectionRunnerState;
  stop(): Promise<void>;
  /** Settles when the runner has stopped. */
  readonly done: Promise<void>;
}

export const backoffMs = (attempt: number, initialMs: number, maxMs: number): number =>
  Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));

export const startProjectionRunner = (options: ProjectionRunnerOptions): ProjectionRunner => {
  const { db, eventStore, projection } = options;
  const name = projection.name;
  const logger = options.logger.child({ projection: name });
  const lockPollMs = options.lockPollMs ?? 1_000;
  const heartbeatMs = options.heartbeatMs ?? 1_000;
  const retryInitialMs = options.retryInitialMs ?? 200;
  const retryMaxMs = options.retryMaxMs ?? 30_000;

  let state: ProjectionRunnerState = 'waiting_for_lock';
  let stopping = false;
  let current: EventSubscription | undefined;
  let interrupt: () => void = () => undefined;
  const interrupted = new Promise<void>((resolve) => {
    interrupt = resolve;
  });
  const pause = (ms: number): Promise<unknown> => Promise.race([new Promise((resolve) => setTimeout(resolve, ms)), interrupted]);

  const runLocked = async (lock: HeldLock): Promise<void> => {
    let lockLost = false;
    void lock.lost.then(() => {
      lockLost = true;
      void current?.stop();
    });
    await ensureCheckpointRow(db, name);
    let attempt = 0;
    while (!stopping && !lockLost) {
      let subscription: EventSubscription | undefined;
      let expected: LogPosition | null = null;
      let settled = false;
      let heartbeat: Promise<void> = Promise.resolve();
      try {
        expected = await readCheckpoint(db, name);
        logger.info({ from: expected === null ? 'start' : positionText(expected) }, 'projection subscribing');
        const live = eventStore.subscribe({ from: expected ?? 'start', batchSize: options.batchSize ?? 500, ...(projection.filter ? { filter: projection.filter } : {}) });
        subscription = live;
        current = live;
        state = 'running';
        // Between batches: is the lock still ours, and has a rebuild moved the checkpoint under us?
        heartbeat = (async () => {
          while (!settled) {
            await Promise.race([pause(heartbeatMs), lock.lost]);
            if (settled) return;
            try {
              await lock.check();
              const before = expected;
              const stored = await readCheckpoint(db, name);
              if (!settled && before === expected && !samePosition(stored, expected)) {
                logger.info('checkpoint moved (rebuild?): resubscribing from the stored checkpoint');
                await live.stop();
              }
            } catch {
              lockLost = true;
              await live.stop();
            }
          }
        })();
        for await (const batch of live) {
          if (stopping || lockLost) break;
          const outcome = await applyProjectionBatch(db, projection, batch, expected);
          if (outcome.kind === 'checkpoint_moved') {
            logger.info('checkpoint moved (rebuild or another instance): resubscribing');
            break;
          }
          if (outcome.kind === 'applied') {
            expected = outcome.checkpoint;
            options.onBatchApplied?.(outcome.count, outcome.checkpoint);
            logger.debug({ count: outcome.count, checkpoint: positionText(outcome.checkpoint) }, 'batch applied');
          }
          attempt = 0;
        }
      } catch (error) {
        attempt++;
        const delay = backoffMs(attempt, retryInitialMs, retryMaxMs);
        state = 'retrying';
        logger.error({ err: error, attempt, retryInMs: delay }, 'projection batch failed; rolled back, will retry');
        await pause(delay);
      } finally {
        settled = true;
        current = undefined;
        await subscription?.stop();
        await heartbeat;
      }
    }
    if (lockLost && !stopping) logger.warn('projection lock lost; stepping down');
  };

  const loop = async (): Promise<void> => {
    let attempt = 0;
    while (!stopping) {
      try {
        await withProjectionLock(
          name,
          {
            connectionString: options.connectionString,
            pollMs: lockPollMs,
            shouldStop: () => stopping,
            interrupted,
            onWaiting: () => {
              state = 'waiting_for_lock';
              logger.info('another instance holds this projection; waiting');
            },
          },
          async (lock) => {
            attempt = 0;
            logger.info('projection lock acquired');
            await runLocked(lock);
          },
        );
      } catch (error) {
        attempt++;
        const delay = backoffMs(attempt, retryInitialMs, retryMaxMs);
        state = 'retrying';
        logger.error({ err: error, attempt, retryInMs: delay }, 'projection lock connection failed; will retry');
        await pause(delay);
      }
    }
    state = 'stopped';
  };

  const done = loop();
  return {
    name,
    state: () => state,
    stop: async () => {
      stopping = true;
      interrupt();
      await current?.stop();
      await done;
    },
    done,
  };
};

const positionText = (position: LogPosition): string => `${position.commit}/${position.prepare}`;
