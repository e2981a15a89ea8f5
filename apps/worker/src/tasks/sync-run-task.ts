// The `sync_run` job: runs (or resumes) one sync run. The run itself is idempotent, so graphile may
// deliver the job again (a retry, or after a dead worker's lock was released) without harm. Only the
// job's last attempt turns a failure into SyncFailed; earlier ones throw and graphile retries with backoff.

import type { SyncRunner } from '@qbo-sync/adapters';
import type { Task } from 'graphile-worker';
import { z } from 'zod';

const payloadSchema = z.object({ syncId: z.string().uuid(), tenantId: z.string(), recordType: z.string() });

export const syncRunTask =
  (runner: () => Promise<SyncRunner>): Task =>
  async (payload, helpers) => {
    const { syncId } = payloadSchema.parse(payload);
    const result = await (await runner()).run(syncId, { lastAttempt: helpers.job.attempts >= helpers.job.max_attempts });
    helpers.logger.info(`sync run ${syncId}: ${result}`, { attempt: helpers.job.attempts });
  };
