// Every job the worker runs, by task identifier.

import type { TaskList } from 'graphile-worker';
import { noopTask } from './noop-task.js';
import { type RefreshDueTokens, refreshDueTokensTask } from './refresh-due-tokens-task.js';
import { type RunSync, syncRunTask } from './sync-run-task.js';

export const createTaskList = (deps: { runSync: RunSync; refreshDueTokens: RefreshDueTokens }): TaskList => ({
  noop: noopTask,
  sync_run: syncRunTask(deps.runSync),
  refresh_due_tokens: refreshDueTokensTask(deps.refreshDueTokens),
});
