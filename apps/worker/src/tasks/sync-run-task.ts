// The `sync_run` job: parses its payload and runs (or resumes) one sync through the application's use case.
// The run is idempotent, so graphile may deliver the job again (a retry, or after a dead worker's lock was
// released) without harm. Only the job's last attempt turns a failure into SyncFailed; earlier ones throw and
// graphile retries with backoff. A lost connection (Intuit refused the stored grant, or the tenant was
// disconnected) is the exception: runSync writes SyncFailed with where to reconnect at the first attempt and
// returns 'failed', so the task ends normally and graphile never retries what only a reconnect can cure.

import type { SyncRunOutcome } from '@qbo-sync/application';
import type { Task } from 'graphile-worker';
import { z } from 'zod';

const payloadSchema = z.object({ syncId: z.string().uuid(), tenantId: z.string(), recordType: z.string() });

export type RunSync = (input: { readonly syncId: string; readonly lastAttempt: boolean }) => Promise<SyncRunOutcome>;

export const syncRunTask =
  (runSync: RunSync): Task =>
  async (payload, helpers) => {
    const { syncId } = payloadSchema.parse(payload);
    const result = await runSync({ syncId, lastAttempt: helpers.job.attempts >= helpers.job.max_attempts });
    helpers.logger.info(`sync run ${syncId}: ${result}`, { attempt: helpers.job.attempts });
  };
