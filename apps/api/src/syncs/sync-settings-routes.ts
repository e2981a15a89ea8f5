// The sync settings of a tenant's record type: its mode (manual for now; scheduled and real-time runs are
// not carried out yet, so they are refused rather than stored and silently ignored) and the conflict policy
// a run applies when both sides changed a record (QBO wins, local wins, or hold for review).

import { type SyncCommandHandler, readSyncSettings } from '@qbo-sync/adapters';
import type { createDatabase } from '@qbo-sync/adapters';
import express from 'express';
import { z } from 'zod';
import { problem, sendProblem } from '../http/problem.js';
import { type TenantDirectory, actorLabel, actorOf, fieldErrors, parseRecordType, resolveTenant, sendCommandFailure, sendInvalid } from '../records/route-support.js';

type Db = ReturnType<typeof createDatabase<unknown>>;

export interface SyncSettingsRoutesOptions {
  readonly db: Db;
  readonly commands: SyncCommandHandler;
  readonly tenants: TenantDirectory;
  readonly now?: () => Date;
}

const settingsBody = z.strictObject({
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
    res.json({ ...(await readSyncSettings(options.db, tenantId, type)), supportedModes: ['manual'] });
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
    if (body.data.mode !== 'manual') {
      sendProblem(
        res,
        problem('unsupported-setting', 'Setting not supported yet', 422, `mode: "${body.data.mode}" syncs are not carried out yet; only "manual" is available`, {
          field: 'mode',
          supportedModes: ['manual'],
        }),
      );
      return;
    }
    if (body.data.schedule !== null) {
      sendInvalid(res, 'invalid-settings', 'Invalid sync settings', [{ field: 'schedule', message: 'is only allowed with mode "scheduled"' }]);
      return;
    }
    const actor = actorOf(res);
    const at = now().toISOString();
    try {
      const { changed } = await options.commands.changeSettings(
        tenantId,
        { recordType: type, mode: body.data.mode, schedule: body.data.schedule, conflictPolicy: body.data.conflictPolicy },
        { changedBy: actorLabel(actor), at },
        { correlationId: res.locals.requestId, actor },
      );
      res.json({ tenantId, type, mode: body.data.mode, schedule: body.data.schedule, conflictPolicy: body.data.conflictPolicy, changed, supportedModes: ['manual'] });
    } catch (error) {
      sendCommandFailure(res, error);
    }
  });

  return router;
};
