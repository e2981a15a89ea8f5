// The records routes, for host applications: upsert one record by its local id or up to 1000 at once (each
// answered on its own), read one with its link status, list them filtered and paged, and delete one (the
// next push deactivates or voids it in QBO). For auditors: a record's history, and the record as it stood at
// a past time (`?asOf=`), both read from the log. Records are validated with their canonical zod schema; an
// upsert whose content did not change appends nothing.

import { type RecordView, SYNC_STATUSES, getRecord, listRecords } from '@qbo-sync/adapters/read-models';
import type { createDatabase } from '@qbo-sync/adapters/postgres';
import { type RecordAsOf, type RecordHistoryEntry, type UpsertRecordResult, deleteRecord, getRecordAsOf, getRecordHistory, upsertRecord } from '@qbo-sync/application';
import { EventStoreUnavailableError, type EventStore, RecordNotFoundError, type RecordType, canonicalSchemas, isWrongExpectedRevision } from '@qbo-sync/domain';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { problem, sendProblem } from '../http/problem.js';
import { historyCursor } from '../http/position-cursor.js';
import {
  type FieldError,
  type TenantDirectory,
  actorOf,
  describeErrors,
  fieldErrors,
  parsePageQuery,
  parseRecordType,
  resolveTenant,
  sendCommandFailure,
  sendInvalid,
} from './route-support.js';

type Db = ReturnType<typeof createDatabase<unknown>>;

export interface RecordsRoutesOptions {
  readonly db: Db;
  readonly eventStore: EventStore;
  readonly tenants: TenantDirectory;
  readonly now?: () => Date;
  /** Records of one bulk request written at once. */
  readonly bulkConcurrency?: number;
}

export const BULK_MAX_RECORDS = 1000;

/** The host's id: any printable text up to 255 characters (it becomes part of a stream name, never a path). */
export const localIdSchema = z
  .string({ error: 'must be a string' })
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters')
  .refine((value) => value.trim() === value, 'must not start or end with whitespace')
  .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), 'must not contain control characters');

/** The record as the api shows it: everything but the decider's internal state. */
export const publicRecord = (view: RecordView) => {
  const { state: _state, link, ...rest } = view;
  return {
    ...rest,
    link: {
      qboId: link.qboId,
      syncToken: link.syncToken,
      linkedVia: link.linkedVia,
      remoteStatus: link.remoteStatus,
      remoteUpdatedAt: link.remoteUpdatedAt,
      generation: link.generation,
    },
    /** The content QBO holds is the content stored here. */
    inSync: view.contentHash !== null && view.contentHash === link.syncedHash,
  };
};

export const recordListQuery = z
  .strictObject({
    syncStatus: z.enum(SYNC_STATUSES, { error: `must be one of ${SYNC_STATUSES.join(', ')}` }).optional(),
    linked: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
    deleted: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
    changed: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
    qboId: z.string().regex(/^[0-9]{1,20}$/, 'must be a QuickBooks id (digits)').optional(),
    updatedSince: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time, e.g. 2026-01-31T00:00:00Z' }).optional(),
    limit: z.string().optional(),
    after: z.string().max(300, 'must be at most 300 characters').optional(),
  });

const isoTime = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time with a zone, e.g. 2026-01-31T00:00:00Z' });

export const recordAsOfQuery = z.strictObject({
  asOf: isoTime.optional().meta({ description: 'Answer the record as it stood at this time, folded from its events' }),
});

export const recordHistoryQuery = z.strictObject({
  limit: z.string().optional(),
  after: z.string({ error: 'must be given once' }).max(100, 'must be a nextCursor this api answered').optional(),
});

export const HISTORY_PAGE = { fallback: 100, max: 1000 } as const;

/** The record as the decider held it at a past time: what it was, its link, and how it stood with QBO. */
const recordAsOf = (tenantId: string, type: RecordType, localId: string, asOf: string, found: RecordAsOf) => {
  const { state } = found;
  return {
    tenantId,
    type,
    localId,
    asOf,
    streamRevision: found.streamRevision.toString(),
    lastEventAt: found.lastEventAt,
    record: state.record,
    contentHash: state.contentHash,
    localRevision: state.localRevision,
    deleted: state.deleted,
    link: {
      qboId: state.link?.qboId ?? null,
      syncToken: state.link?.syncToken ?? null,
      linkedVia: state.link?.via ?? null,
      remoteStatus: state.remoteStatus,
      generation: state.generation,
    },
    inSync: state.contentHash !== null && state.contentHash === state.syncedHash,
    syncStatus: found.syncStatus,
    lastError: state.lastError,
  };
};

const historyItem = (entry: RecordHistoryEntry) => ({ ...entry, streamRevision: entry.streamRevision.toString() });

export const bulkEnvelope = z.strictObject({
  records: z
    .array(z.unknown(), { error: 'must be an array of { localId, record }' })
    .min(1, 'must hold at least one record')
    .max(BULK_MAX_RECORDS, `must hold at most ${BULK_MAX_RECORDS} records; split the request`),
});

export const bulkItem = z.strictObject({ localId: localIdSchema, record: z.unknown() });

interface BulkInvalid {
  readonly index: number;
  readonly localId: string | null;
  readonly status: 'invalid';
  readonly errors: readonly FieldError[];
}

/** A bad item's local id is echoed only when it is one (a string within bounds), never whatever was sent. */
const echoableLocalId = (raw: unknown): string | null => {
  const localId = (raw as { localId?: unknown } | null)?.localId;
  return typeof localId === 'string' && localId.length <= 255 ? localId : null;
};

/** Storage that may answer on a second try: the store unreachable, or a write that lost a race. */
const isTemporaryStorageError = (error: unknown): boolean => error instanceof EventStoreUnavailableError || isWrongExpectedRevision(error);

const asBool = (value: 'true' | 'false' | undefined): boolean | undefined => (value === undefined ? undefined : value === 'true');

/** Runs `work` over the items with at most `limit` at a time, keeping their order in the answer. */
const mapLimited = async <T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> => {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  });
  await Promise.all(lanes);
  return results;
};

export const recordsRoutes = (options: RecordsRoutesOptions): express.Router => {
  const router = express.Router();
  const now = options.now ?? (() => new Date());
  const base = '/v1/tenants/:tenant/records/:type';

  /** Validates with the canonical schema: the parsed form is what gets hashed and stored. */
  const validate = (type: RecordType, body: unknown, prefix = ''): { record: Record<string, unknown> } | { errors: FieldError[] } => {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return { errors: [{ field: prefix || 'body', message: 'must be a JSON object (the record)' }] };
    const parsed = canonicalSchemas[type].safeParse(body);
    if (!parsed.success) return { errors: fieldErrors(parsed.error, prefix) };
    return { record: parsed.data as Record<string, unknown> };
  };

  const upsert = (tenantId: string, type: RecordType, localId: string, record: Record<string, unknown>, res: Response): Promise<UpsertRecordResult> =>
    upsertRecord(options, { tenantId, recordType: type, localId, record, at: now().toISOString() }, { correlationId: res.locals.requestId, actor: actorOf(res) });

  const parsePath = async (req: Request, res: Response): Promise<{ tenantId: string; type: RecordType } | null> => {
    const tenantId = await resolveTenant(req, res, options.tenants);
    if (tenantId === null) return null;
    const type = parseRecordType(req.params.type, res);
    if (type === null) return null;
    return { tenantId, type };
  };

  const parseLocalId = (req: Request, res: Response): string | null => {
    const parsed = localIdSchema.safeParse(req.params.localId);
    if (parsed.success) return parsed.data;
    sendInvalid(res, 'invalid-local-id', 'Invalid local id', fieldErrors(parsed.error, 'localId'));
    return null;
  };

  router.put(`${base}/:localId`, async (req, res) => {
    const path = await parsePath(req, res);
    if (path === null) return;
    const localId = parseLocalId(req, res);
    if (localId === null) return;
    const checked = validate(path.type, req.body);
    if ('errors' in checked) {
      sendInvalid(res, 'invalid-record', `Invalid ${path.type}`, checked.errors);
      return;
    }
    try {
      const outcome = await upsert(path.tenantId, path.type, localId, checked.record, res);
      res.status(outcome.status === 'created' ? 201 : 200).json({ tenantId: path.tenantId, type: path.type, localId, ...outcome });
    } catch (error) {
      sendCommandFailure(res, error);
    }
  });

  router.post(base, async (req, res) => {
    const path = await parsePath(req, res);
    if (path === null) return;
    const envelope = bulkEnvelope.safeParse(req.body);
    if (!envelope.success) {
      const errors = fieldErrors(envelope.error);
      const tooMany = envelope.error.issues.some((issue) => issue.code === 'too_big');
      if (tooMany) sendProblem(res, problem('too-many-records', 'Too many records', 413, describeErrors(errors), { field: 'records', limit: BULK_MAX_RECORDS, errors }));
      else sendInvalid(res, 'invalid-bulk-request', 'Invalid bulk request', errors);
      return;
    }
    // Every item is checked before any is written, so the answer to a bad item never follows a half-done
    // request; then the valid ones are written, each answered on its own.
    const items = envelope.data.records;
    const firstIndex = new Map<string, number>();
    const checked = items.map((raw, index): BulkInvalid | { index: number; localId: string; record: Record<string, unknown> } => {
      const item = bulkItem.safeParse(raw);
      if (!item.success) return { index, localId: echoableLocalId(raw), status: 'invalid', errors: fieldErrors(item.error, `records.${index}`) };
      const { localId } = item.data;
      const seen = firstIndex.get(localId);
      if (seen !== undefined) {
        return { index, localId, status: 'invalid', errors: [{ field: `records.${index}.localId`, message: `repeats the local id of records.${seen}; send each record once` }] };
      }
      firstIndex.set(localId, index);
      const valid = validate(path.type, item.data.record, `records.${index}.record`);
      if ('errors' in valid) return { index, localId, status: 'invalid', errors: valid.errors };
      return { index, localId, record: valid.record };
    });
    const results = await mapLimited(checked, options.bulkConcurrency ?? 8, async (item) => {
      if ('status' in item) return item;
      const { index, localId } = item;
      try {
        const { record: _stored, ...outcome } = await upsert(path.tenantId, path.type, localId, item.record, res);
        return { index, localId, ...outcome };
      } catch (error) {
        const temporary = isTemporaryStorageError(error);
        res.locals.log[temporary ? 'warn' : 'error']({ err: error instanceof Error ? { name: error.name, message: error.message } : String(error), localId }, 'bulk upsert of one record failed');
        return {
          index,
          localId,
          status: 'failed' as const,
          retriable: temporary,
          errors: [
            {
              field: `records.${index}`,
              message: temporary
                ? 'could not be stored just now; send it again'
                : `could not be stored because of an internal error (request id ${String(res.locals.requestId)}); sending it again will not help until it is fixed`,
            },
          ],
        };
      }
    });
    const summary = { created: 0, updated: 0, unchanged: 0, invalid: 0, failed: 0 };
    for (const result of results) summary[result.status] += 1;
    res.status(200).json({ tenantId: path.tenantId, type: path.type, summary, results });
  });

  router.get(`${base}/:localId`, async (req, res) => {
    const path = await parsePath(req, res);
    if (path === null) return;
    const localId = parseLocalId(req, res);
    if (localId === null) return;
    const query = recordAsOfQuery.safeParse(req.query);
    if (!query.success) {
      sendInvalid(res, 'invalid-query', 'Invalid query parameter', fieldErrors(query.error));
      return;
    }
    const { asOf } = query.data;
    if (asOf !== undefined) {
      const found = await getRecordAsOf(options, { tenantId: path.tenantId, recordType: path.type, localId, asOf: new Date(asOf) });
      if (found === null) {
        sendProblem(res, problem('record-not-found', 'Record not found', 404, `localId: no ${path.type} "${localId}" in tenant ${path.tenantId} as of ${asOf}`, { field: 'localId' }));
        return;
      }
      res.json(recordAsOf(path.tenantId, path.type, localId, asOf, found));
      return;
    }
    const view = await getRecord(options.db, path.tenantId, path.type, localId);
    if (view === null) {
      sendProblem(res, problem('record-not-found', 'Record not found', 404, `localId: no ${path.type} "${localId}" in tenant ${path.tenantId}`, { field: 'localId' }));
      return;
    }
    res.json(publicRecord(view));
  });

  router.get(`${base}/:localId/history`, async (req, res) => {
    const path = await parsePath(req, res);
    if (path === null) return;
    const localId = parseLocalId(req, res);
    if (localId === null) return;
    const parsed = parsePageQuery(req, res, recordHistoryQuery, { ...HISTORY_PAGE, validCursor: (cursor) => historyCursor.decode(cursor) !== null });
    if (parsed === null) return;
    const { query, limit } = parsed;
    const page = await getRecordHistory(options, {
      tenantId: path.tenantId,
      recordType: path.type,
      localId,
      afterRevision: query.after === undefined ? null : historyCursor.decode(query.after),
      limit,
    });
    if (page === null) {
      sendProblem(res, problem('record-not-found', 'Record not found', 404, `localId: no ${path.type} "${localId}" in tenant ${path.tenantId}`, { field: 'localId' }));
      return;
    }
    res.json({
      items: page.entries.map(historyItem),
      nextCursor: page.nextAfterRevision === null ? null : historyCursor.encode(page.nextAfterRevision),
      hasMore: page.hasMore,
    });
  });

  router.get(base, async (req, res) => {
    const path = await parsePath(req, res);
    if (path === null) return;
    const parsed = parsePageQuery(req, res, recordListQuery, { fallback: 100, max: 500 });
    if (parsed === null) return;
    const { query: q, limit } = parsed;
    const page = await listRecords(
      options.db,
      path.tenantId,
      path.type,
      {
        ...(q.syncStatus === undefined ? {} : { syncStatus: q.syncStatus }),
        ...(q.linked === undefined ? {} : { linked: asBool(q.linked) }),
        ...(q.deleted === undefined ? {} : { deleted: asBool(q.deleted) }),
        ...(q.changed === undefined ? {} : { changed: asBool(q.changed) }),
        ...(q.qboId === undefined ? {} : { qboId: q.qboId }),
        ...(q.updatedSince === undefined ? {} : { updatedSince: q.updatedSince }),
      },
      { limit, after: q.after ?? null },
    );
    res.json({ items: page.items.map(publicRecord), nextCursor: page.nextAfter });
  });

  router.delete(`${base}/:localId`, async (req, res) => {
    const path = await parsePath(req, res);
    if (path === null) return;
    const localId = parseLocalId(req, res);
    if (localId === null) return;
    try {
      const result = await deleteRecord(options, { tenantId: path.tenantId, recordType: path.type, localId, at: now().toISOString() }, { correlationId: res.locals.requestId, actor: actorOf(res) });
      res.status(200).json({ tenantId: path.tenantId, type: path.type, localId, deleted: true, ...result });
    } catch (error) {
      if (error instanceof RecordNotFoundError) {
        sendProblem(res, problem('record-not-found', 'Record not found', 404, `localId: no ${path.type} "${localId}" in tenant ${path.tenantId}`, { field: 'localId' }));
        return;
      }
      sendCommandFailure(res, error);
    }
  });

  return router;
};
