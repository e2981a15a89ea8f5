// The sync run routes: request a pull or push (202 with the sync id at once; the worker runs it), list runs,
// show one with its counts and per-record outcomes, page through those outcomes, and retry a run's parked
// failures as a new run. A run waits in its (tenant, type) queue behind the one in progress.

import { type SyncRunView, RUN_RECORD_OUTCOMES, SYNC_RUN_STATUSES, decodeRunKey, decodeRunRecordKey, getSyncRun, listSyncRunRecords, listSyncRuns } from '@qbo-sync/adapters/read-models';
import {
  IdempotencyKeyReusedError,
  adminConnectionPath,
  authorizePath,
  MAX_SCOPE_IDS,
  NotConnectedError,
  NothingToRetryError,
  RunNotFinishedError,
  SyncNotFoundError,
  readSyncRequest,
  requestSync,
  retryFailedRecords,
} from '@qbo-sync/application';
import type { createDatabase } from '@qbo-sync/adapters/postgres';
import { type EventStore, RECORD_TYPES, type RecordType, type SyncRequested, type SyncScope, emptySyncCounts } from '@qbo-sync/domain';
import { randomUUID } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { problem, sendProblem } from '../http/problem.js';
import { localIdSchema } from '../records/records-routes.js';
import {
  type TenantDirectory,
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
  readonly eventStore: EventStore;
  readonly tenants: TenantDirectory;
  readonly now?: () => Date;
}

export { MAX_SCOPE_IDS };

export const syncRequestBody = z
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

export const syncListQuery = z.strictObject({
  type: z.enum(RECORD_TYPES, { error: `must be one of ${RECORD_TYPES.join(', ')}` }).optional(),
  direction: z.enum(['pull', 'push'], { error: 'must be pull or push' }).optional(),
  status: z.enum(SYNC_RUN_STATUSES, { error: `must be one of ${SYNC_RUN_STATUSES.join(', ')}` }).optional(),
  limit: z.string().optional(),
  after: z.string().max(400, 'must be at most 400 characters').optional(),
});

export const syncRecordsQuery = z.strictObject({
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
  counts: emptySyncCounts(),
  plan: null,
  cursor: null,
  reason: null,
  workerId: null,
  waitingUntil: null,
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

  /** What a refused request says, as a problem; anything else goes to sendCommandFailure. */
  const sendRefusal = (res: Response, error: unknown): boolean => {
    if (error instanceof NotConnectedError) {
      // `reconnect` is the link that starts a (re)connect; a down connection is still on record, but unusable.
      const reconnect = { reconnect: authorizePath(error.tenantId), adminPage: adminConnectionPath(error.tenantId) };
      if (error.connectionState === 'down') {
        sendProblem(res, problem('connection-down', 'QuickBooks connection down', 409, error.message, { connectionState: 'connected', health: 'down', ...reconnect }));
      } else {
        sendProblem(res, problem('not-connected', 'Not connected to QuickBooks', 409, error.message, { connectionState: error.connectionState === 'never_connected' ? 'not_connected' : 'disconnected', ...reconnect }));
      }
    } else if (error instanceof IdempotencyKeyReusedError) {
      sendProblem(res, problem('idempotency-key-reused', 'Idempotency-Key reused', 409, `Idempotency-Key: ${error.message}`, { field: 'Idempotency-Key' }));
    } else if (error instanceof SyncNotFoundError) {
      notFound(res, error.tenantId, error.syncId);
    } else if (error instanceof RunNotFinishedError) {
      sendProblem(res, problem('run-not-finished', 'Run not finished', 409, error.message, { runStatus: error.status }));
    } else if (error instanceof NothingToRetryError) {
      sendProblem(res, problem('nothing-to-retry', 'Nothing to retry', 409, error.message));
    } else return false;
    return true;
  };

  router.post('/v1/tenants/:tenant/syncs', async (req, res) => {
    const tenantId = await resolveTenant(req, res, options.tenants);
    if (tenantId === null) return;
    const body = syncRequestBody.safeParse(req.body ?? {});
    if (!body.success) {
      sendInvalid(res, 'invalid-sync-request', 'Invalid sync request', fieldErrors(body.error));
      return;
    }
    const key = req.get('idempotency-key');
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      sendProblem(res, problem('invalid-idempotency-key', 'Invalid Idempotency-Key', 400, 'Idempotency-Key: must be 1 to 128 letters, digits, ".", "_", ":" or "-"', { field: 'Idempotency-Key' }));
      return;
    }
    try {
      const result = await requestSync(
        options,
        {
          tenantId,
          recordType: body.data.type,
          direction: body.data.direction,
          scope: scopeOf(body.data.scope, body.data.ids),
          dryRun: body.data.dryRun,
          ...(key === undefined ? {} : { idempotencyKey: key }),
          newSyncId: randomUUID(),
          at: now().toISOString(),
        },
        { correlationId: res.locals.requestId, actor: actorOf(res) },
      );
      res.setHeader('location', runLocation(tenantId, result.syncId));
      res.status(202).json({ syncId: result.syncId, status: 'requested', replayed: result.replayed, links: { self: runLocation(tenantId, result.syncId) } });
    } catch (error) {
      if (!sendRefusal(res, error)) sendCommandFailure(res, error);
    }
  });

  router.get('/v1/tenants/:tenant/syncs', async (req, res) => {
    const tenantId = await resolveTenant(req, res, options.tenants);
    if (tenantId === null) return;
    const page = parsePageQuery(req, res, syncListQuery, { fallback: 50, max: 200, validCursor: (after) => decodeRunKey(after) !== null });
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
      const requested = await readSyncRequest(options, syncId);
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
    const parsed = parsePageQuery(req, res, syncRecordsQuery, { fallback: 100, max: 1000, validCursor: (after) => decodeRunRecordKey(after) !== null });
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
    try {
      const result = await retryFailedRecords(options, { tenantId, syncId, newSyncId: randomUUID(), at: now().toISOString() }, { correlationId: res.locals.requestId, actor: actorOf(res) });
      res.setHeader('location', runLocation(tenantId, result.syncId));
      res.status(202).json({
        syncId: result.syncId,
        status: 'requested',
        retryOf: syncId,
        replayed: result.replayed,
        retrying: result.retrying,
        /** Failures beyond one run's limit: retry them from the retry run once it has finished. */
        remaining: result.remaining > 0 ? 'more' : 0,
        links: { self: runLocation(tenantId, result.syncId) },
      });
    } catch (error) {
      if (!sendRefusal(res, error)) sendCommandFailure(res, error);
    }
  });

  return router;
};
