// Use case step of a run: QBO's limits made it wait (a 429). The wait is noted on the run's stream, so its
// progress says "waiting for QuickBooks until …" while it waits, in the api and the app, not only in a log.

import { syncDecider } from '@qbo-sync/domain';
import { handleCommand } from '../shared/handle-command.js';
import type { SyncDeps } from './sync-deps.js';
import type { SyncRun } from './sync-run.js';

export const noteThrottle = async (deps: Pick<SyncDeps, 'eventStore' | 'now' | 'logger'>, run: SyncRun, waitMs: number): Promise<void> => {
  const now = deps.now();
  const until = new Date(now.getTime() + waitMs).toISOString();
  deps.logger.warn({ syncId: run.request.syncId, waitMs, until }, 'waiting for QuickBooks limits');
  await handleCommand(deps.eventStore, run.streamName, syncDecider, { type: 'NoteThrottle', until, at: now.toISOString() }, { tenantId: run.request.tenantId, context: run.context });
};
