// The review queue's action on a held conflict: a person picks the side that wins. QBO wins applies QBO's
// version (held in the conflict) as the record, sent to the host as RemoteRecordChanged; local wins leaves the
// local version for the next push to write over QBO's.

import { resolveConflict } from '@qbo-sync/application';
import { type EventStore, NoOpenConflictError, RecordNotFoundError } from '@qbo-sync/domain';
import express from 'express';
import { z } from 'zod';
import { problem, sendProblem } from '../http/problem.js';
import { localIdSchema } from './records-routes.js';
import { type TenantDirectory, actorOf, fieldErrors, parseRecordType, resolveTenant, sendCommandFailure, sendInvalid } from './route-support.js';

export interface ReviewRoutesOptions {
  readonly eventStore: EventStore;
  readonly tenants: TenantDirectory;
  readonly now?: () => Date;
}

export const resolveBody = z.strictObject({ resolution: z.enum(['qbo_wins', 'local_wins'], { error: 'must be qbo_wins or local_wins' }) });

export const reviewRoutes = (options: ReviewRoutesOptions): express.Router => {
  const router = express.Router();
  const now = options.now ?? (() => new Date());

  router.post('/v1/tenants/:tenant/records/:type/:localId/resolve-conflict', async (req, res) => {
    const tenantId = await resolveTenant(req, res, options.tenants);
    if (tenantId === null) return;
    const type = parseRecordType(req.params.type, res);
    if (type === null) return;
    const localId = localIdSchema.safeParse(req.params.localId);
    if (!localId.success) {
      sendInvalid(res, 'invalid-local-id', 'Invalid local id', fieldErrors(localId.error, 'localId'));
      return;
    }
    const body = resolveBody.safeParse(req.body ?? {});
    if (!body.success) {
      sendInvalid(res, 'invalid-resolution', 'Invalid resolution', fieldErrors(body.error));
      return;
    }
    try {
      const result = await resolveConflict(
        options,
        { tenantId, recordType: type, localId: localId.data, resolution: body.data.resolution, at: now().toISOString() },
        { correlationId: res.locals.requestId, actor: actorOf(res) },
      );
      res.json({ tenantId, type, localId: localId.data, resolution: body.data.resolution, events: result.events });
    } catch (error) {
      if (error instanceof NoOpenConflictError || error instanceof RecordNotFoundError) {
        sendProblem(res, problem('no-open-conflict', 'No open conflict', 409, `${type} "${localId.data}" has no conflict waiting for review`, { field: 'localId' }));
        return;
      }
      sendCommandFailure(res, error);
    }
  });

  return router;
};
