// Every job the worker runs, by task identifier.

import type { SyncRunner, TokenRefresher } from '@qbo-sync/adapters';
import type { TaskList } from 'graphile-worker';
import { noopTask } from './noop-task.js';
import { refreshDueTokensTask } from './refresh-due-tokens-task.js';
import { syncRunTask } from './sync-run-task.js';

export const createTaskList = (deps: { syncRunner: () => Promise<SyncRunner>; refresher: () => Promise<TokenRefresher> }): TaskList => ({
  noop: noopTask,
  sync_run: syncRunTask(deps.syncRunner),
  refresh_due_tokens: refreshDueTokensTask(deps.refresher),
});
