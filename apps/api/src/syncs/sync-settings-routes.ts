// The sync settings of a tenant's record type: its mode (manual for now; scheduled and real-time runs are
// not carried out yet, so they are refused rather than stored and silently ignored) and the conflict policy
// a run applies when both sides changed a record (QBO wins, local wins, or hold for review).

import { readSyncSettings } from '@qbo-sync/adapters/read-models';
import type { createDatabase } from '@qbo-sync/adapters/postgres';
import { SUPPORTED_MODES, UnsupportedSettingError, changeSyncSettings } from '@qbo-sync/application';
import type { EventStore } from '@qbo-sync/domain';
import express from 'express';
import { z } from 'zod';
import { problem, sendProblem } from '../http/problem.js';
import { type TenantDirectory, actorOf, fieldErrors, parseRecordType, resolveTenant, sendCommandFailure, sendInvalid } from '../records/route-support.js';

type Db = ReturnType<typeof createDatabase<unknown>>;

export interface SyncSettingsRoutesOptions {
  readonly db: Db;
  readonly eventStore: EventStore;
  readonly tenants: TenantDirectory;
  readonly now?: () => Date;
}

export const settingsBody = z.strictObject({
  mode: z.enum(['manual', 'scheduled', 'realtime'], { error: 'must be manual, scheduled or realtime' }),
  schedule: z.string().max(100, 'must be at most 100 characters').nullable().default(null),
  conflictPolicy: z.enum(['qbo_wins', 'local_wins', 'review'], { error: 'must be qbo_wins, local_wins or review' }),
});

export const syncSettingsRoutes = (options: SyncSettingsRoutesOptions): express.Router => {
  const router = express.Router();
  const now = options.now ?? (() => new Date());
  const path = '/v1/tenants/:tenant/settings/sync/:type';

  router.get(path, async (req, res) => {
    const tenantId = await resolveTenant(req, res, options.tenants);
    if (tenantId === null) return;
    const type = parseRecordType(req.params.type, res);
    if (type === null) return;
    res.json({ ...(await readSyncSettings(options.db, tenantId, type)), supportedModes: SUPPORTED_MODES });
  });

  router.put(path, async (req, res) => {
    const tenantId = await resolveTenant(req, res, options.tenants);
    if (tenantId === null) return;
    const type = parseRecordType(req.params.type, res);
    if (type === null) return;
    const body = settingsBody.safeParse(req.body ?? {});
    if (!body.success) {
      sendInvalid(res, 'invalid-settings', 'Invalid sync settings', fieldErrors(body.error));
      return;
    }
    try {
      const { changed } = await changeSyncSettings(
        options,
        { tenantId, recordType: type, mode: body.data.mode, schedule: body.data.schedule, conflictPolicy: body.data.conflictPolicy, at: now().toISOString() },
        { correlationId: res.locals.requestId, actor: actorOf(res) },
      );
      res.json({ tenantId, type, mode: body.data.mode, schedule: body.data.schedule, conflictPolicy: body.data.conflictPolicy, changed, supportedModes: SUPPORTED_MODES });
    } catch (error) {
      if (error instanceof UnsupportedSettingError && error.field === 'mode') {
        sendProblem(res, problem('unsupported-setting', 'Setting not supported yet', 422, `mode: ${error.message}`, { field: 'mode', supportedModes: SUPPORTED_MODES }));
        return;
      }
      if (error instanceof UnsupportedSettingError) {
        sendInvalid(res, 'invalid-settings', 'Invalid sync settings', [{ field: error.field, message: error.message }]);
        return;
      }
      sendCommandFailure(res, error);
    }
  });

  return router;
};
