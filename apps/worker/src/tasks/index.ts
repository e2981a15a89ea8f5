// Every job the worker runs, by task identifier. Sync jobs join this list in later issues.

import type { TaskList } from 'graphile-worker';
import { noopTask } from './noop-task.js';

export const taskList: TaskList = {
  noop: noopTask,
};
