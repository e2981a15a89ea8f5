// A harmless task that only logs: proves the queue end to end (enqueue, pick up, complete) before the
// sync jobs exist.

import type { Task } from 'graphile-worker';

export const noopTask: Task = async (_payload, helpers) => {
  helpers.logger.info(`noop job ${helpers.job.id} ran`, { attempt: helpers.job.attempts });
};
