// The QboAccounting port over QBO's HTTP API: queries (IN lists, LIKE for values QBO's lexer cannot quote),
// paged imports, CDC windows, and batched writes with deterministic requestids, all behind the connection's
// tokens, shared limiter and health monitor. QBO JSON stays here: what goes out is mapped from canonical
// records, what comes back is mapped to them, and references are translated through the caller's lookup.

import {
  MATCH_RULES,
  QBO_ENTITY,
  type QboAccounting,
  type RecordType,
  type ReferenceLookup,
  type RemoteChange,
  type RemoteRecord,
  type RemoteWrite,
  type RemoteWriteResult,
  IS_NAME_LIST,
  mirrorLocalId,
  referenceKey,
} from '@qbo-sync/domain';
import { type BatchWrite, createBatchWriter } from './batch-writer.js';
import { cdcPages, isTombstone, serverNow } from './cdc-pager.js';
import { itemAccountDefaultsCache } from './item-account-defaults.js';
import { isSyncableItem } from './mappers/item-mapper.js';
import type { ReferenceResolver } from './mappers/mapping-context.js';
import type { QboObject } from './mappers/qbo-object.js';
import { mapperFor, removalBody } from './mappers/record-mappers.js';
import type { QboClient } from './qbo-client.js';
import { ACTIVE_OR_NOT, queryPages } from './query-pager.js';
import { queryByField } from './remote-lookup.js';
import { syncErrorOf } from './sync-error-of.js';

export interface QboHttpAccountingOptions {
  /** Reads: the connection's client, which retries on its own. */
  readonly reads: QboClient;
  /** Writes: a client that never retries, so the batch writer alone decides when a write goes again. */
  readonly writes: QboClient;
  /** Today in the company's time zone (an inventory item's start date when none is given). */
  readonly today: () => string;
  readonly retryBaseMs?: number;
  readonly throttleWaitMs?: number;
}

/** For reading a record's own fields when its references do not matter. */
const mirrorsOnly: ReferenceResolver = { qboIdOf: () => undefined, localIdOf: (_type, qboId) => mirrorLocalId(qboId) };

const labelOf = (object: QboObject): string => String(object['DisplayName'] ?? object['Name'] ?? object['DocNumber'] ?? object.Id);

/** A type with no natural key QBO would refuse twice (payments) goes one write a call: its requestid is then its own. */
const chunkSizeOf = (type: RecordType): number => (MATCH_RULES[type].length === 0 ? 1 : 30);

export const createQboHttpAccounting = (options: QboHttpAccountingOptions): QboAccounting => {
  const itemAccounts = itemAccountDefaultsCache(options.reads);

  /**
   * QBO objects → remote records. References are found by mapping once with a resolver that notes what it is
   * asked, looked up in one call per type, then mapped for real; a reference nobody holds gets its mirror id.
   */
  const toRemote = async (type: RecordType, objects: readonly QboObject[], refs: ReferenceLookup): Promise<RemoteChange[]> => {
    const mapper = mapperFor(type);
    const asked = new Map<RecordType, Set<string>>();
    const noting: ReferenceResolver = {
      qboIdOf: () => undefined,
      localIdOf: (refType, qboId) => {
        asked.set(refType, (asked.get(refType) ?? new Set()).add(qboId));
        return undefined;
      },
    };
    const live = objects.filter((object) => !isTombstone(object as never));
    for (const object of live) {
      try {
        mapper.fromQbo(object, { refs: noting });
      } catch {
        // Reported below, with the real mapping.
      }
    }
    const known = new Map<string, string>();
    for (const [refType, ids] of asked) for (const [qboId, localId] of await refs(refType, [...ids])) known.set(referenceKey(refType, qboId), localId);
    const resolver: ReferenceResolver = { qboIdOf: () => undefined, localIdOf: (refType, qboId) => known.get(referenceKey(refType, qboId)) ?? mirrorLocalId(qboId) };
    return objects.map((object): RemoteChange => {
      if (isTombstone(object as never)) return { kind: 'deleted', qboId: object.Id, remoteUpdatedAt: String(object.MetaData?.LastUpdatedTime ?? '') };
      try {
        const status = mapper.status(object);
        const remote: RemoteRecord = {
          qboId: object.Id,
          syncToken: object.SyncToken,
          status,
          record: mapper.fromQbo(object, { refs: resolver }),
          remoteUpdatedAt: String(object.MetaData?.LastUpdatedTime ?? ''),
          label: labelOf(object),
        };
        return { kind: 'changed', remote };
      } catch (error) {
        return { kind: 'unreadable', qboId: object.Id, reason: error instanceof Error ? error.message : String(error) };
      }
    });
  };

  const records = (changes: readonly RemoteChange[]): RemoteRecord[] => changes.flatMap((change) => (change.kind === 'changed' ? [change.remote] : []));

  /** Item categories and bundles are not products this service syncs. */
  const syncable = (type: RecordType, objects: readonly QboObject[]): QboObject[] => (type === 'item' ? objects.filter((object) => isTombstone(object as never) || isSyncableItem(object)) : [...objects]);

  const fetchByField = async (tenantId: string, type: RecordType, field: string, values: readonly string[]): Promise<QboObject[]> =>
    syncable(type, await queryByField({ client: options.reads, tenantId, entity: QBO_ENTITY[type], nameList: IS_NAME_LIST[type], field, values }));

  const find: QboAccounting['find'] = async (tenantId, type, ruleName, values, refs) => {
    const rule = MATCH_RULES[type].find((candidate) => candidate.name === ruleName);
    if (rule === undefined || values.length === 0) return [];
    const wanted = new Set(values.flatMap((value) => rule.key(value) ?? []));
    const found = records(await toRemote(type, await fetchByField(tenantId, type, rule.qboField, values), refs));
    // QBO's IN and LIKE find more than the rule's exact key (LIKE patterns, case): keep what the rule compares equal.
    return found.filter((remote) => {
      const key = rule.key(remote.record[rule.field]);
      return key !== undefined && wanted.has(key);
    });
  };

  const readByIds: QboAccounting['readByIds'] = async (tenantId, type, qboIds, refs) =>
    qboIds.length === 0 ? [] : records(await toRemote(type, await fetchByField(tenantId, type, 'Id', qboIds), refs));

  async function* importPages(tenantId: string, type: RecordType, refs: ReferenceLookup): AsyncGenerator<readonly RemoteChange[], string, undefined> {
    // Taken before the first page, so nothing that changes while the import runs is missed by the next pull.
    const cursor = await serverNow({ client: options.reads, tenantId });
    for await (const page of queryPages({ client: options.reads, tenantId, entity: QBO_ENTITY[type], where: IS_NAME_LIST[type] ? [ACTIVE_OR_NOT] : [] })) {
      yield await toRemote(type, syncable(type, page), refs);
    }
    return cursor;
  }

  async function* changePages(tenantId: string, type: RecordType, since: string, refs: ReferenceLookup): AsyncGenerator<readonly RemoteChange[], string, undefined> {
    const pages = cdcPages({ client: options.reads, tenantId, entity: QBO_ENTITY[type], since, nameList: IS_NAME_LIST[type] });
    for (;;) {
      const step = await pages.next();
      if (step.done === true) return step.value;
      yield await toRemote(type, syncable(type, step.value as QboObject[]), refs);
    }
  }

  /** The body a write sends, from the canonical record and its references' QBO ids. */
  const bodyOf = async (tenantId: string, write: RemoteWrite): Promise<Record<string, unknown>> => {
    const type = write.recordType;
    const existing = write.existing === null ? undefined : { Id: write.existing.qboId, SyncToken: write.existing.syncToken };
    if (write.operation === 'deactivate' || write.operation === 'void' || write.operation === 'delete') {
      if (existing === undefined) throw new Error(`a ${write.operation} needs the QBO record it applies to`);
      return removalBody(type, existing);
    }
    const refs: ReferenceResolver = { qboIdOf: (refType, localId) => write.references.get(referenceKey(refType, localId)), localIdOf: () => undefined };
    const accounts = type === 'item' ? await itemAccounts(tenantId) : undefined;
    // An update passes the version it writes over: the mapper then clears what the host removed.
    return mapperFor(type).toQbo(write.record ?? {}, { refs, today: options.today(), ...(accounts === undefined ? {} : { itemAccounts: accounts }) }, existing);
  };

  const write: QboAccounting['write'] = async (tenantId, writes, hooks) => {
    const results = new Map<string, RemoteWriteResult>();
    const byType = new Map<RecordType, { write: RemoteWrite; batch: BatchWrite }[]>();
    for (const remoteWrite of writes) {
      try {
        const body = await bodyOf(tenantId, remoteWrite);
        const batch: BatchWrite = {
          key: remoteWrite.key,
          entity: QBO_ENTITY[remoteWrite.recordType],
          operation: remoteWrite.operation === 'deactivate' ? 'update' : remoteWrite.operation,
          body,
          identity: remoteWrite.identity,
        };
        byType.set(remoteWrite.recordType, [...(byType.get(remoteWrite.recordType) ?? []), { write: remoteWrite, batch }]);
      } catch (error) {
        // A record the mapper cannot write (a missing account, say) fails with its reason; nothing is sent.
        results.set(remoteWrite.key, {
          kind: 'failed',
          key: remoteWrite.key,
          requestId: '',
          attempts: 0,
          error: {
            kind: 'validation',
            qboCode: null,
            message: error instanceof Error ? error.message : String(error),
            hint: "fix the record (or the tenant's account mapping) as the message says, then push again",
            retriable: false,
            intuitTid: null,
          },
        });
      }
    }
    for (const [type, entries] of byType) {
      // The field QBO keeps unique (display name, item name, DocNumber) finds a create whose answer was lost.
      const unique = MATCH_RULES[type].at(-1);
      const batchWriter = createBatchWriter({
        client: options.writes,
        tenantId,
        chunkSize: chunkSizeOf(type),
        lookup: async (batch) => {
          const entry = entries.find((candidate) => candidate.batch.key === batch.key);
          const value = unique === undefined ? undefined : entry?.write.record?.[unique.field];
          if (unique === undefined || typeof value !== 'string') return null;
          const mapper = mapperFor(type);
          const found = (await fetchByField(tenantId, type, unique.qboField, [value])).filter((object) => {
            try {
              return unique.key(mapper.fromQbo(object, { refs: mirrorsOnly })[unique.field]) === unique.key(value);
            } catch {
              return false;
            }
          });
          return found.length === 1 ? (found[0] as QboObject) : null;
        },
        ...(options.retryBaseMs === undefined ? {} : { baseDelayMs: options.retryBaseMs }),
        ...(options.throttleWaitMs === undefined ? {} : { throttleWaitMs: options.throttleWaitMs }),
        ...(hooks?.onThrottle === undefined ? {} : { onCall: (call) => (call.outcome === 'throttled' ? hooks.onThrottle?.(call.waitMs ?? options.throttleWaitMs ?? 60_000) : undefined) }),
      });
      const answers = await batchWriter.writeAll(entries.map((entry) => entry.batch));
      const byKey = new Map(entries.map((entry) => [entry.write.key, entry.write]));
      /** QBO's record as the write left it, read back in canonical form with the write's own references. */
      const readBack = (key: string, object: QboObject): RemoteRecord | null => {
        const written = byKey.get(key);
        const localIds = new Map([...(written?.references ?? new Map<string, string>())].map(([refKey, qboId]) => [`${refKey.slice(0, refKey.indexOf(':'))}:${qboId}`, refKey.slice(refKey.indexOf(':') + 1)]));
        const resolver: ReferenceResolver = { qboIdOf: () => undefined, localIdOf: (refType, qboId) => localIds.get(`${refType}:${qboId}`) ?? mirrorLocalId(qboId) };
        try {
          const mapper = mapperFor(type);
          return { qboId: object.Id, syncToken: object.SyncToken, status: mapper.status(object), record: mapper.fromQbo(object, { refs: resolver }), remoteUpdatedAt: String(object.MetaData?.LastUpdatedTime ?? ''), label: labelOf(object) };
        } catch {
          return null;
        }
      };
      for (const answer of answers) {
        results.set(
          answer.write.key,
          answer.kind === 'failed'
            ? { kind: 'failed', key: answer.write.key, requestId: answer.requestId, error: syncErrorOf(answer.error), attempts: answer.attempts }
            : {
                kind: answer.kind,
                key: answer.write.key,
                requestId: answer.requestId,
                qboId: answer.object.Id,
                syncToken: answer.object.SyncToken,
                label: labelOf(answer.object),
                attempts: answer.attempts,
                remote: readBack(answer.write.key, answer.object),
              },
        );
      }
    }
    return writes.map((remoteWrite) => results.get(remoteWrite.key) as RemoteWriteResult);
  };

  return { find, readByIds, importPages, changePages, write };
};

