// A push run: what changed locally goes to QBO. Per page of candidate records (from the records read
// model, each re-folded from its stream, which is the authority): dependencies are linked or created
// first (invoice → customer and items, payment → invoices), unlinked records are matched by the type's
// rules before anything is created (several candidates → review, never a guess), and creates, updates,
// deactivations and voids go through the batch writer. A 5010 re-reads QBO's record and lets the tenant's
// conflict policy decide. A dry run does all the reading and planning, and writes nothing anywhere.

import {
  MAX_RECORD_ATTEMPTS,
  type RecordState,
  type RecordType,
  type RemoteSnapshot,
  type SyncCounts,
  type SyncRequested,
  needsPush,
} from '@qbo-sync/domain';
import { type Kysely, sql } from 'kysely';
import type { QboClient } from '../qbo-http/qbo-client.js';
import { canonicalJson, contentHash } from '../records/content-hash.js';
import { streamRecords } from '../postgres/read-models/records-read-model.js';
import { readSyncSettings } from '../postgres/read-models/sync-settings-read-model.js';
import { BATCH_SIZE, type BatchWrite, type BatchWriteResult, createBatchWriter } from '../qbo-http/batch-writer.js';
import type { QboObject } from '../qbo-http/mappers/qbo-object.js';
import { createRecordEventWriter } from './record-event-writer.js';
import type { RecordRef, RecordTypeRegistry, RecordTypeSync } from './record-type-sync.js';
import { findByField, normalise } from '../qbo-http/remote-lookup.js';
import { dependencyError, syncErrorOf } from '../qbo-http/sync-error-of.js';
import type { SyncExecution, SyncExecutionContext } from './sync-run.js';
import type { EventStore } from '@qbo-sync/domain';

export type PlanAction = 'create' | 'update' | 'match' | 'skip' | 'review' | 'deactivate' | 'void';

export interface PlanItem {
  readonly recordType: RecordType;
  readonly localId: string;
  readonly action: PlanAction;
  readonly qboId: string | null;
  readonly reason?: string;
  readonly differences?: readonly { readonly field: string; readonly local: unknown; readonly remote: unknown }[];
}

export interface PushExecutorOptions {
  readonly db: Kysely<unknown>;
  readonly eventStore: EventStore;
  /** Reads (queries, lookups): the connection's client, with its own retries. */
  readonly reads: QboClient;
  /** Writes: a client without retries (the batch writer decides). */
  readonly writes: QboClient;
  readonly registry: RecordTypeRegistry;
  readonly now?: () => Date;
  readonly retryBaseMs?: number;
  readonly throttleWaitMs?: number;
  /** Candidate records read per page. */
  readonly pageSize?: number;
}

type MutableCounts = { -readonly [K in keyof SyncCounts]: SyncCounts[K] };

export const fieldDifferences = (local: Record<string, unknown> | null, remote: Record<string, unknown> | null) => {
  const keys = new Set([...Object.keys(local ?? {}), ...Object.keys(remote ?? {})]);
  const out: { field: string; local: unknown; remote: unknown }[] = [];
  for (const field of [...keys].sort()) {
    const a = local?.[field];
    const b = remote?.[field];
    if (canonicalJson(a ?? null) !== canonicalJson(b ?? null)) out.push({ field, local: a ?? null, remote: b ?? null });
  }
  return out;
};

const key = (ref: RecordRef) => `${ref.type}\u0000${ref.id}`;

/** Local ids of QBO records, by type, from the records read model (one query per type). */
export const localIdsOf = async (db: Kysely<unknown>, tenantId: string, refs: readonly RecordRef[]): Promise<Map<string, string>> => {
  const byType = new Map<RecordType, Set<string>>();
  for (const ref of refs) byType.set(ref.type, (byType.get(ref.type) ?? new Set()).add(ref.id));
  const out = new Map<string, string>();
  for (const [type, ids] of byType) {
    const { rows } = await sql<{ qbo_id: string; local_id: string }>`select qbo_id, local_id from records
      where tenant_id = ${tenantId} and record_type = ${type} and qbo_id = any(${[...ids]}::text[])`.execute(db);
    for (const row of rows) out.set(key({ type, id: row.qbo_id }), row.local_id);
  }
  return out;
};

export const snapshotOf = (sync: RecordTypeSync, object: QboObject, localIds: Map<string, string>, mirror: (qboId: string) => string): RemoteSnapshot => {
  const { record, status } = sync.fromQbo(object, (ref) => localIds.get(key(ref)) ?? mirror(ref.id));
  return {
    qboId: object.Id,
    syncToken: object.SyncToken,
    status,
    record,
    contentHash: contentHash(record),
    remoteUpdatedAt: String((object.MetaData as { LastUpdatedTime?: string } | undefined)?.LastUpdatedTime ?? ''),
  };
};

const labelOf = (object: QboObject): string =>
  String(object.DisplayName ?? object.Name ?? object.DocNumber ?? object.Id);

/**
 * Runs of other types push the same records as dependencies (an invoice run creates its customers while a
 * customer run may be creating them too), and payments have no natural key QBO would refuse twice. So
 * whoever pushes records of one type for a tenant, in whatever worker, holds this lock from folding the
 * streams to recording QBO's answers: the next holder folds again and finds them linked. Locks are taken
 * in dependency order (payment, then invoice, then customer and item), never the other way: no deadlock.
 * A session lock, so a killed worker's lock goes with its connection.
 */
export const withPushLock = async <T>(db: Kysely<unknown>, tenantId: string, type: RecordType, work: () => Promise<T>): Promise<T> =>
  db.connection().execute(async (connection) => {
    const lockKey = `sync-push:${tenantId}:${type}`;
    await sql`select pg_advisory_lock(hashtextextended(${lockKey}, 0))`.execute(connection);
    try {
      return await work();
    } finally {
      await sql`select pg_advisory_unlock(hashtextextended(${lockKey}, 0))`.execute(connection);
    }
  });

const mapLimit = async <T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> => {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        out[index] = await fn(items[index] as T, index);
      }
    }),
  );
  return out;
};

export const createPushExecutor = (options: PushExecutorOptions) => {
  const now = options.now ?? (() => new Date());
  const pageSize = options.pageSize ?? 300;

  return async (request: SyncRequested['data'], context: SyncExecutionContext): Promise<SyncExecution> => {
    const { tenantId, syncId, dryRun } = request;
    const logger = context.logger;
    const writer = createRecordEventWriter({ eventStore: options.eventStore, tenantId, syncId, now });
    const counts: MutableCounts = { planned: 0, created: 0, updated: 0, matched: 0, skipped: 0, failed: 0, review: 0 };
    const plan: PlanItem[] = [];
    const handled = new Set<string>();
    const policies = new Map<RecordType, Awaited<ReturnType<typeof readSyncSettings>>['conflictPolicy']>();
    const policyOf = async (type: RecordType) => {
      if (!policies.has(type)) policies.set(type, (await readSyncSettings(options.db, tenantId, type)).conflictPolicy);
      return policies.get(type) ?? 'review';
    };
    const at = () => now().toISOString();

    const fail = async (type: RecordType, localId: string, error: ReturnType<typeof syncErrorOf>, attempt: number) => {
      counts.failed += 1;
      if (dryRun) return;
      await writer.apply(type, localId, () => ({ type: 'RecordFailure', recordType: type, localId, at: at(), direction: 'push', error, attempt, syncId }));
    };

    /**
     * A resumed run (a job retry, a dead worker): what its earlier attempts pushed is no longer a candidate
     * (or is synced and would be skipped), yet it is this run's work. Counted from the log once, so the
     * run's totals do not depend on how often it was resumed.
     */
    const earlier = new Set<string>();
    if (context.resumed === true) {
      const { rows } = await sql<{ record_type: RecordType; local_id: string; operation: string }>`
        select distinct on (data->>'recordType', data->>'localId') data->>'recordType' as record_type, data->>'localId' as local_id, data->>'operation' as operation
        from events where event_type = 'RecordPushed' and data->>'syncId' = ${syncId}
        order by data->>'recordType', data->>'localId', global_position desc`.execute(options.db);
      for (const row of rows) {
        earlier.add(key({ type: row.record_type, id: row.local_id }));
        counts.planned += 1;
        if (row.operation === 'create') counts.created += 1;
        else counts.updated += 1;
      }
    }

    /** The QBO body of a record; a record the mapper cannot write (a missing account, say) fails with its reason. */
    const bodyOf = async (type: RecordType, localId: string, map: () => Record<string, unknown>): Promise<Record<string, unknown> | null> => {
      try {
        return map();
      } catch (error) {
        await fail(type, localId, { kind: 'validation', qboCode: null, message: error instanceof Error ? error.message : String(error), hint: 'fix the record (or the tenant\'s account mapping) as the message says, then push again', retriable: false, intuitTid: null }, 1);
        return null;
      }
    };

    /** Pushes (or plans) these records of one type; dependencies first. */
    const pushRecords = async (type: RecordType, localIds: readonly string[], top: boolean): Promise<void> => {
      const sync = options.registry[type];
      const fresh = localIds.filter((id) => !handled.has(key({ type, id })));
      fresh.forEach((id) => handled.add(key({ type, id })));
      if (fresh.length === 0) return;
      if (dryRun) return pushFresh(type, sync, fresh, top);
      return withPushLock(options.db, tenantId, type, () => pushFresh(type, sync, fresh, top));
    };

    const pushFresh = async (type: RecordType, sync: RecordTypeSync, fresh: readonly string[], top: boolean): Promise<void> => {
      const folded = await mapLimit(fresh, 8, async (localId) => ({ localId, ...(await writer.fold(type, localId)) }));
      const work: { localId: string; state: RecordState }[] = [];
      for (const { localId, state } of folded) {
        if (!state.exists) {
          if (!top) continue;
        }
        if (state.conflict !== null || state.review !== null) {
          if (top) {
            counts.review += 1;
            plan.push({ recordType: type, localId, action: 'review', qboId: state.link?.qboId ?? null, reason: state.conflict ? 'conflict' : 'ambiguous_match' });
          }
          continue;
        }
        if (!needsPush(state)) {
          if (earlier.has(key({ type, id: localId }))) continue;
          if (top) {
            counts.skipped += 1;
            plan.push({ recordType: type, localId, action: 'skip', qboId: state.link?.qboId ?? null });
          }
          continue;
        }
        work.push({ localId, state });
      }
      counts.planned += work.length;
      if (work.length === 0) return;

      // Dependencies: link or create them first, then read their QBO ids from their streams.
      const qboIds = new Map<string, string | null>();
      const depsOf = new Map<string, RecordRef[]>();
      for (const item of work) {
        if (item.state.deleted || item.state.record === null) continue;
        const deps = [...sync.dependencies(item.state.record)];
        depsOf.set(item.localId, deps);
      }
      const depTypes = new Map<RecordType, Set<string>>();
      for (const deps of depsOf.values()) for (const dep of deps) depTypes.set(dep.type, (depTypes.get(dep.type) ?? new Set()).add(dep.id));
      for (const [depType, ids] of depTypes) {
        await pushRecords(depType, [...ids], false);
        const states = await mapLimit([...ids], 8, async (id) => ({ id, folded: await writer.fold(depType, id) }));
        for (const { id, folded: f } of states) qboIds.set(key({ type: depType, id }), f.state.exists && f.state.link !== null ? f.state.link.qboId : null);
      }
      const ready: { localId: string; state: RecordState }[] = [];
      for (const item of work) {
        const missing = (depsOf.get(item.localId) ?? []).filter((dep) => (qboIds.get(key(dep)) ?? null) === null);
        if (missing.length > 0 && !dryRun) {
          await fail(type, item.localId, dependencyError(missing.map((dep) => `${dep.type} ${dep.id}`)), 1);
          continue;
        }
        ready.push(item);
      }

      // Match unlinked records before creating anything.
      const unlinked = new Map(ready.filter((item) => item.state.link === null && !item.state.deleted).map((item) => [item.localId, item]));
      const matchedTo = new Map<string, QboObject>();
      for (const rule of sync.matchRules) {
        const withValue = [...unlinked.values()].flatMap((item) => {
          const value = item.state.record === null ? null : rule.local(item.state.record);
          return value === null || value.trim() === '' ? [] : [{ item, value }];
        });
        if (withValue.length === 0) continue;
        const found = await findByField({ client: options.reads, tenantId, entity: sync.entity, nameList: sync.nameList, field: rule.qboField, values: withValue.map((w) => w.value), read: rule.remote });
        const candidateIds = [...found.values()].flat().map((object) => object.Id);
        const holders = candidateIds.length === 0 ? new Map<string, string>() : await localIdsOf(options.db, tenantId, candidateIds.map((id) => ({ type, id })));
        for (const { item, value } of withValue) {
          const candidates = (found.get(normalise(value)) ?? []).filter((object) => {
            const holder = holders.get(key({ type, id: object.Id }));
            return holder === undefined || holder === item.localId;
          });
          if (candidates.length === 0) continue;
          unlinked.delete(item.localId);
          if (candidates.length > 1) {
            counts.review += 1;
            plan.push({ recordType: type, localId: item.localId, action: 'review', qboId: null, reason: `ambiguous ${rule.name}` });
            if (!dryRun) {
              await writer.apply(type, item.localId, () => ({
                type: 'RecordAmbiguousMatch', recordType: type, localId: item.localId, at: at(), rule: rule.name, syncId,
                candidates: candidates.map((object) => ({ qboId: object.Id, label: labelOf(object) })),
              }));
            }
            continue;
          }
          matchedTo.set(item.localId, candidates[0] as QboObject);
        }
      }

      // Matched: link (claim first); equal content is synced at once, different content becomes an update.
      const writes: { item: { localId: string; state: RecordState }; write: BatchWrite; operation: 'create' | 'update' | 'deactivate' | 'void' }[] = [];
      const refIds = await localIdsOf(options.db, tenantId, [...matchedTo.values()].flatMap((object) => sync.references(object)));
      const qboIdOf = (ref: RecordRef) => qboIds.get(key(ref)) ?? null;
      for (const item of ready) {
        let state = item.state;
        const match = matchedTo.get(item.localId);
        if (match !== undefined) {
          counts.matched += 1;
          const snapshot = snapshotOf(sync, match, refIds, (id) => `qbo-${id}`);
          const differences = fieldDifferences(state.record, snapshot.record);
          plan.push({ recordType: type, localId: item.localId, action: 'match', qboId: match.Id, differences });
          if (dryRun) continue;
          const claim = await writer.claim(type, match.Id, item.localId);
          if (claim.kind === 'held') {
            counts.review += 1;
            await writer.apply(type, item.localId, () => ({ type: 'RecordAmbiguousMatch', recordType: type, localId: item.localId, at: at(), rule: 'linked_elsewhere', syncId, candidates: [{ qboId: match.Id, label: `${labelOf(match)} (linked to ${claim.localId})` }] }));
            continue;
          }
          state = (await writer.apply(type, item.localId, () => ({ type: 'LinkRecord', recordType: type, localId: item.localId, at: at(), qboId: match.Id, syncToken: match.SyncToken, via: 'matched', syncId }))).state;
          if (snapshot.contentHash === state.contentHash) {
            await writer.apply(type, item.localId, () => ({ type: 'RecordRemoteState', recordType: type, localId: item.localId, at: at(), remote: snapshot, policy: 'qbo_wins', differences: [], syncId }));
            continue;
          }
        } else if (state.link === null && !state.deleted) {
          if (dryRun) {
            plan.push({ recordType: type, localId: item.localId, action: 'create', qboId: null, differences: fieldDifferences(state.record, null) });
            continue;
          }
        }
        const link = state.link;
        const record = state.record ?? {};
        const idem = `${item.localId}@${state.localRevision}#${state.generation}`;
        if (link === null) {
          if (state.deleted) continue;
          const body = await bodyOf(type, item.localId, () => sync.toQbo(record, qboIdOf, tenantId));
          if (body !== null) writes.push({ item: { localId: item.localId, state }, operation: 'create', write: { key: item.localId, entity: sync.entity, operation: 'create', body, idempotencyKey: `${idem}:create` } });
          continue;
        }
        const base = { Id: link.qboId, SyncToken: link.syncToken };
        if (state.deleted || (!sync.nameList && record.voided === true)) {
          if (state.remoteStatus !== 'active' && state.remoteStatus !== null) continue;
          const operation = sync.nameList ? 'deactivate' : 'void';
          if (dryRun) {
            plan.push({ recordType: type, localId: item.localId, action: operation, qboId: link.qboId });
            continue;
          }
          writes.push({
            item: { localId: item.localId, state },
            operation,
            write: sync.nameList
              ? { key: item.localId, entity: sync.entity, operation: 'update', body: { ...base, sparse: true, Active: false }, idempotencyKey: `${idem}:deactivate:${link.syncToken}` }
              : { key: item.localId, entity: sync.entity, operation: 'void', body: base, idempotencyKey: `${idem}:void:${link.syncToken}` },
          });
          continue;
        }
        if (dryRun) {
          plan.push({ recordType: type, localId: item.localId, action: 'update', qboId: link.qboId });
          continue;
        }
        const body = await bodyOf(type, item.localId, () => sync.toQbo(record, qboIdOf, tenantId));
        if (body !== null) writes.push({ item: { localId: item.localId, state }, operation: 'update', write: { key: item.localId, entity: sync.entity, operation: 'update', body: { ...body, ...base, sparse: true }, idempotencyKey: `${idem}:update:${link.syncToken}` } });
      }
      if (dryRun) return;
      await writeAndRecord(type, sync, writes, 0);
    };

    const lookupFor = (sync: RecordTypeSync) => {
      // The field QBO itself keeps unique (display name, item name, DocNumber): the last rule of each type.
      // Email and SKU are not unique in QBO, and a create without a SKU must still be found.
      const rule = sync.matchRules.at(-1);
      return async (write: BatchWrite): Promise<QboObject | null> => {
        if (rule === undefined) return null;
        const value = rule.remote(write.body as QboObject);
        if (value === null) return null;
        const found = await findByField({ client: options.reads, tenantId, entity: sync.entity, nameList: sync.nameList, field: rule.qboField, values: [value], read: rule.remote });
        const candidates = found.get(normalise(value)) ?? [];
        return candidates.length === 1 ? (candidates[0] as QboObject) : null;
      };
    };

    const writeAndRecord = async (
      type: RecordType,
      sync: RecordTypeSync,
      writes: readonly { item: { localId: string; state: RecordState }; write: BatchWrite; operation: 'create' | 'update' | 'deactivate' | 'void' }[],
      round: number,
    ): Promise<void> => {
      if (writes.length === 0) return;
      const batch = createBatchWriter({
        client: options.writes,
        tenantId,
        lookup: lookupFor(sync),
        ...(options.retryBaseMs === undefined ? {} : { baseDelayMs: options.retryBaseMs }),
        ...(options.throttleWaitMs === undefined ? {} : { throttleWaitMs: options.throttleWaitMs }),
      });
      const again: typeof writes[number][] = [];
      // Chunk by chunk, each recorded before the next is sent: a run that dies (kill -9, a lost database
      // connection) loses the answers of one call at most, not those of a whole page already in QBO.
      // A type with no natural key QBO would refuse twice (payments) goes one record a call: the call's
      // requestid is then the record's own, the same when a resumed run sends it again, and QBO replays it.
      const chunkSize = sync.matchRules.length === 0 ? 1 : BATCH_SIZE;
      for (let start = 0; start < writes.length; start += chunkSize) {
        const chunk = writes.slice(start, start + chunkSize);
        const results = await batch.writeAll(chunk.map((w) => w.write));
        await mapLimit(results, 8, async (result: BatchWriteResult, index: number) => {
        const entry = chunk[index] as (typeof writes)[number];
        const { localId, state } = entry.item;
        if (result.kind !== 'failed') {
          if (entry.operation === 'create') {
            const claim = await writer.claim(type, result.object.Id, localId);
            if (claim.kind === 'held') {
              await fail(type, localId, { kind: 'conflict', qboCode: null, message: `QBO record ${result.object.Id} is already linked to local record ${claim.localId}`, hint: 'resolve the duplicate in the review queue', retriable: false, intuitTid: null }, 1);
              return;
            }
            counts.created += 1;
          } else counts.updated += 1;
          await writer.apply(type, localId, () => ({
            type: 'RecordPushResult', recordType: type, localId, at: at(), qboId: result.object.Id, operation: entry.operation,
            syncToken: result.object.SyncToken, contentHash: state.contentHash ?? '', localRevision: state.localRevision, requestId: result.requestId, syncId,
          }));
          return;
        }
        if (result.error.kind === 'stale_object' && round === 0 && state.link !== null) {
          // Someone changed it in QBO since our last read: re-read, let the policy decide.
          const retry = await settleStale(type, sync, localId, state.link.qboId);
          if (retry !== null) again.push({ ...entry, item: { localId, state: retry }, write: { ...entry.write, body: { ...entry.write.body, SyncToken: retry.link?.syncToken }, idempotencyKey: `${entry.write.idempotencyKey}:${retry.link?.syncToken}` } });
          return;
        }
        await fail(type, localId, syncErrorOf(result.error), result.error.retriable ? MAX_RECORD_ATTEMPTS : 1);
        });
      }
      if (again.length > 0) await writeAndRecord(type, sync, again, round + 1);
    };

    /** After a 5010: the record's QBO side, then the policy. Returns the state to push again with (local wins), or null. */
    const settleStale = async (type: RecordType, sync: RecordTypeSync, localId: string, qboId: string): Promise<RecordState | null> => {
      const body = await options.reads.get<Record<string, unknown>>(tenantId, `/${sync.entity.toLowerCase()}/${encodeURIComponent(qboId)}`);
      const object = body[sync.entity] as QboObject;
      const refIds = await localIdsOf(options.db, tenantId, sync.references(object));
      const snapshot = snapshotOf(sync, object, refIds, (id) => `qbo-${id}`);
      const policy = await policyOf(type);
      const { events, state } = await writer.apply(type, localId, (current) => ({
        type: 'RecordRemoteState', recordType: type, localId, at: at(), remote: snapshot, policy,
        differences: fieldDifferences(current.record, snapshot.record), syncId,
      }));
      const resolved = events.find((event) => event.type === 'RecordConflictResolved');
      if (resolved?.type === 'RecordConflictResolved' && resolved.data.resolution === 'local_wins') return needsPush(state) ? state : null;
      if (events.some((event) => event.type === 'RecordConflictDetected') && resolved === undefined) counts.review += 1;
      else counts.updated += 1;
      return null;
    };

    const scope = request.scope;
    if (scope.kind === 'ids') {
      for (let start = 0; start < scope.localIds.length; start += pageSize) await pushRecords(request.recordType, scope.localIds.slice(start, start + pageSize), true);
    } else {
      for await (const page of streamRecords(options.db, tenantId, request.recordType, scope.kind === 'changed' ? { changed: true } : {}, pageSize)) {
        await pushRecords(request.recordType, page.map((view) => view.localId), true);
      }
    }
    logger.info({ counts }, 'push finished');
    return { counts, cursor: null, plan: dryRun ? { items: plan } : null };
  };
};

