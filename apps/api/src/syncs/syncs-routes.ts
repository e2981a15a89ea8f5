// The sync run routes: request a pull or push (202 with the sync id at once; the worker runs it), list runs,
// show one with its counts and per-record outcomes, page through those outcomes, and retry a run's parked
// failures as a new run. A run waits in its (tenant, type) queue behind the one in progress.

import {
  type SyncCommandHandler,
  type SyncRunView,
  RUN_RECORD_OUTCOMES,
  SYNC_RUN_STATUSES,
  decodeRunKey,
  decodeRunRecordKey,
  deterministicUuid,
  getSyncRun,
  listParkedFailures,
  listSyncRunRecords,
  listSyncRuns,
  readConnectionStatus,
} from '@qbo-sync/adapters';
import type { createDatabase } from '@qbo-sync/adapters';
import { RECORD_TYPES, type RecordType, type SyncRequested, type SyncScope } from '@qbo-sync/domain';
import { randomUUID } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { problem, sendProblem } from '../http/problem.js';
import { localIdSchema } from '../records/records-routes.js';
import {
  type TenantDirectory,
  actorLabel,
  actorOf,
  fieldErrors,
  parsePageQuery,
  resolveTenant,
  sendCommandFailure,
  sendInvalid,
} from '../records/route-support.js';

type Db = ReturnType<typeof createDatabase<unknown>>;

export interface SyncsRoutesOptions {
  readonly db: Db;
  readonly commands: SyncCommandHandler;
  readonly tenants: TenantDirectory;
  readonly now?: () => Date;
}

/** Most local ids one run may name; a retry of more failures takes several runs. */
export const MAX_SCOPE_IDS = 1000;

const requestBody = z
  .strictObject({
    type: z.enum(RECORD_TYPES, { error: `must be one of ${RECORD_TYPES.join(', ')}` }),
    direction: z.enum(['pull', 'push'], { error: 'must be pull or push' }),
    scope: z.enum(['all', 'changed', 'ids'], { error: 'must be all, changed or ids' }).default('changed'),
    ids: z.array(localIdSchema).min(1, 'must name at least one local id').max(MAX_SCOPE_IDS, `must name at most ${MAX_SCOPE_IDS} local ids`).optional(),
    dryRun: z.boolean({ error: 'must be true or false' }).default(false),
  })
  .superRefine((body, ctx) => {
    if (body.scope === 'ids' && body.ids === undefined) ctx.addIssue({ code: 'custom', path: ['ids'], message: 'is required when scope is "ids"' });
    if (body.scope !== 'ids' && body.ids !== undefined) ctx.addIssue({ code: 'custom', path: ['ids'], message: 'is only allowed when scope is "ids"' });
  });

const listQuery = z.strictObject({
  type: z.enum(RECORD_TYPES, { error: `must be one of ${RECORD_TYPES.join(', ')}` }).optional(),
  direction: z.enum(['pull', 'push'], { error: 'must be pull or push' }).optional(),
  status: z.enum(SYNC_RUN_STATUSES, { error: `must be one of ${SYNC_RUN_STATUSES.join(', ')}` }).optional(),
  limit: z.string().optional(),
  after: z.string().max(400, 'must be at most 400 characters').optional(),
});

const recordsQuery = z.strictObject({
  outcome: z.enum(RUN_RECORD_OUTCOMES, { error: `must be one of ${RUN_RECORD_OUTCOMES.join(', ')}` }).optional(),
  type: z.enum(RECORD_TYPES, { error: `must be one of ${RECORD_TYPES.join(', ')}` }).optional(),
  limit: z.string().optional(),
  after: z.string().max(400, 'must be at most 400 characters').optional(),
});

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const scopeOf = (scope: 'all' | 'changed' | 'ids', ids: readonly string[] | undefined): SyncScope =>
  scope === 'ids' ? { kind: 'ids', localIds: [...new Set(ids ?? [])] } : { kind: scope };

const publicRun = (run: SyncRunView) => {
  const { requestPosition: _position, ...rest } = run;
  return rest;
};

/** What a run looks like before the read model has seen it: straight from its SyncRequested event. */
const requestedRun = (request: SyncRequested['data']) => ({
  syncId: request.syncId,
  tenantId: request.tenantId,
  type: request.recordType,
  direction: request.direction,
  scope: request.scope,
  dryRun: request.dryRun,
  retryOf: request.retryOf,
  requestedBy: request.requestedBy,
  status: 'requested' as const,
  counts: { planned: 0, created: 0, updated: 0, matched: 0, skipped: 0, failed: 0, review: 0 },
  plan: null,
  cursor: null,
  reason: null,
  workerId: null,
  requestedAt: request.at,
  startedAt: null,
  finishedAt: null,
  queuedBehind: null,
});

const runLocation = (tenantId: string, syncId: string) => `/v1/tenants/${tenantId}/syncs/${syncId}`;

export const syncsRoutes = (options: SyncsRoutesOptions): express.Router => {
  const router = express.Router();
  const now = options.now ?? (() => new Date());

  const parseSyncId = (req: Request, res: Response): string | null => {
    const id = req.params.syncId;
    if (typeof id === 'string' && UUID.test(id)) return id.toLowerCase();
    sendProblem(res, problem('invalid-sync-id', 'Invalid sync id', 400, 'syncId: must be a sync id (a UUID) as POST /syncs answered it', { field: 'syncId' }));
    return null;
  };

  const notFound = (res: Response, tenantId: string, syncId: string) =>
    sendProblem(res, problem('sync-not-found', 'Sync run not found', 404, `syncId: no sync run ${syncId} in tenant ${tenantId}`, { field: 'syncId' }));

  /** Runs talk to QBO: a tenant that is not connected gets told so now, not by a failed run later. */
  const requireConnected = async (res: Response, tenantId: string): Promise<boolean> => {
    const status = await readConnectionStatus(options.db, tenantId);
    if (status.state === 'connected') return true;
    sendProblem(
      res,
      problem('not-connected', 'Not connected to QuickBooks', 409, `tenant ${tenantId} is ${status.state === 'disconnected' ? 'disconnected from' : 'not connected to'} QuickBooks; connect it first`, {
        connectionState: status.state,
      }),
    );
    return false;
  };

  const request = async (res: Response, data: SyncRequested['data']) => {
    const outcome = await options.commands.requestSync(data, { correlationId: res.locals.requestId, actor: actorOf(res) });
    return outcome;
  };

  router.post('/v1/tenants/:tenant/syncs', async (req, res) => {
    const tenantId = await resolveTenant(req, res, options.tenants);
    if (tenantId === null) return;
    const body = requestBody.safeParse(req.body ?? {});
    if (!body.success) {
      sendInvalid(res, 'invalid-sync-request', 'Invalid sync request', fieldErrors(body.error));
      return;
    }
    const key = req.get('idempotency-key');
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      sendProblem(res, problem('invalid-idempotency-key', 'Invalid Idempotency-Key', 400, 'Idempotency-Key: must be 1 to 128 letters, digits, ".", "_", ":" or "-"', { field: 'Idempotency-Key' }));
      return;
    }
    if (!(await requireConnected(res, tenantId))) return;
    const actor = actorOf(res);
    const data: SyncRequested['data'] = {
      // With an Idempotency-Key the id is derived from it: the same key asks for the same run.
      syncId: key === undefined ? randomUUID() : deterministicUuid('sync-request', tenantId, key),
      tenantId,
      recordType: body.data.type,
      direction: body.data.direction,
      scope: scopeOf(body.data.scope, body.data.ids),
      dryRun: body.data.dryRun,
      retryOf: null,
      requestedBy: actorLabel(actor),
      at: now().toISOString(),
    };
    try {
      const outcome = await request(res, data);
      if (outcome.kind === 'exists') {
        const earlier = outcome.request;
        const same =
          earlier !== null &&
          earlier.tenantId === tenantId &&
          earlier.recordType === data.recordType &&
          earlier.direction === data.direction &&
          earlier.dryRun === data.dryRun &&
          JSON.stringify(earlier.scope) === JSON.stringify(data.scope);
        if (!same) {
          sendProblem(res, problem('idempotency-key-reused', 'Idempotency-Key reused', 409, 'Idempotency-Key: this key already requested a different sync; use a new key', { field: 'Idempotency-Key' }));
          return;
        }
      }
      const syncId = outcome.kind === 'exists' && outcome.request !== null ? outcome.request.syncId : data.syncId;
      res.setHeader('location', runLocation(tenantId, syncId));
      res.status(202).json({ syncId, status: 'requested', replayed: outcome.kind === 'exists', links: { self: runLocation(tenantId, syncId) } });
    } catch (error) {
      sendCommandFailure(res, error);
    }
  });

  router.get('/v1/tenants/:tenant/syncs', async (req, res) => {
    const tenantId = await resolveTenant(req, res, options.tenants);
    if (tenantId === null) return;
    const page = parsePageQuery(req, res, listQuery, { fallback: 50, max: 200, validCursor: (after) => decodeRunKey(after) !== null });
    if (page === null) return;
    const { query, limit } = page;
    const { type, direction, status } = query;
    const runs = await listSyncRuns(
      options.db,
      tenantId,
      { ...(type === undefined ? {} : { type }), ...(direction === undefined ? {} : { direction }), ...(status === undefined ? {} : { status }) },
      { limit, after: query.after ?? null },
    );
    res.json({ items: runs.items.map(publicRun), nextCursor: runs.nextAfter });
  });

  router.get('/v1/tenants/:tenant/syncs/:syncId', async (req, res) => {
    const tenantId = await resolveTenant(req, res, options.tenants);
    if (tenantId === null) return;
    const syncId = parseSyncId(req, res);
    if (syncId === null) return;
    const run = await getSyncRun(options.db, tenantId, syncId);
    if (run === null) {
      // Just requested: the read model may not have it yet, the log does.
      const requested = await options.commands.readRequest(syncId);
      if (requested === null || requested.tenantId !== tenantId) {
        notFound(res, tenantId, syncId);
        return;
      }
      res.json({ ...requestedRun(requested), records: { items: [], nextCursor: null } });
      return;
    }
    const records = await listSyncRunRecords(options.db, tenantId, syncId, {}, { limit: 100 });
    res.json({ ...publicRun(run), records: { items: records.items, nextCursor: records.nextAfter } });
  });

  router.get('/v1/tenants/:tenant/syncs/:syncId/records', async (req, res) => {
    const tenantId = await resolveTenant(req, res, options.tenants);
    if (tenantId === null) return;
    const syncId = parseSyncId(req, res);
    if (syncId === null) return;
    const parsed = parsePageQuery(req, res, recordsQuery, { fallback: 100, max: 1000, validCursor: (after) => decodeRunRecordKey(after) !== null });
    if (parsed === null) return;
    const { query, limit } = parsed;
    if ((await getSyncRun(options.db, tenantId, syncId)) === null) {
      notFound(res, tenantId, syncId);
      return;
    }
    const { outcome, type } = query;
    const page = await listSyncRunRecords(
      options.db,
      tenantId,
      syncId,
      { ...(outcome === undefined ? {} : { outcome }), ...(type === undefined ? {} : { type: type as RecordType }) },
      { limit, after: query.after ?? null },
    );
    res.json({ items: page.items, nextCursor: page.nextAfter });
  });

  router.post('/v1/tenants/:tenant/syncs/:syncId/retry-failed', async (req, res) => {
    const tenantId = await resolveTenant(req, res, options.tenants);
    if (tenantId === null) return;
    const syncId = parseSyncId(req, res);
    if (syncId === null) return;
    const run = await getSyncRun(options.db, tenantId, syncId);
    if (run === null) {
      notFound(res, tenantId, syncId);
      return;
    }
    if (run.status === 'requested' || run.status === 'running') {
      sendProblem(res, problem('run-not-finished', 'Run not finished', 409, `sync ${syncId} is still ${run.status}; retry its failures once it has finished`, { runStatus: run.status }));
      return;
    }
    const failed = await listParkedFailures(options.db, tenantId, syncId, run.type, MAX_SCOPE_IDS + 1);
    if (failed.length === 0) {
      sendProblem(res, problem('nothing-to-retry', 'Nothing to retry', 409, `sync ${syncId} parked no failed ${run.type} records`));
      return;
    }
    if (!(await requireConnected(res, tenantId))) return;
    const ids = failed.slice(0, MAX_SCOPE_IDS);
    const actor = actorOf(res);
    // One retry per run: asking twice answers the same retry run. Its own failures are retried from it.
    const retryId = deterministicUuid('retry-failed', tenantId, syncId);
    try {
      const outcome = await request(res, {
        syncId: retryId,
        tenantId,
        recordType: run.type,
        direction: run.direction,
        scope: { kind: 'ids', localIds: ids },
        dryRun: false,
        retryOf: syncId,
        requestedBy: actorLabel(actor),
        at: now().toISOString(),
      });
      res.setHeader('location', runLocation(tenantId, retryId));
      res.status(202).json({
        syncId: retryId,
        status: 'requested',
        retryOf: syncId,
        replayed: outcome.kind === 'exists',
        retrying: outcome.kind === 'exists' && outcome.request !== null && outcome.request.scope.kind === 'ids' ? outcome.request.scope.localIds.length : ids.length,
        /** Failures beyond one run's limit: retry them from the retry run once it has finished. */
        remaining: failed.length > MAX_SCOPE_IDS ? 'more' : 0,
        links: { self: runLocation(tenantId, retryId) },
      });
    } catch (error) {
      sendCommandFailure(res, error);
    }
  });

  return router;
};
