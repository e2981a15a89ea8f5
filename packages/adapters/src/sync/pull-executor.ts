// A pull run: what changed in QBO comes home. Incremental through CDC from the type's cursor (split when
// an answer is full, a paged LastUpdatedTime query past CDC's 30 days), or an import of everything when
// there is no cursor or the scope is `all`. Page by page, never a whole result set: each remote record is
// linked (its change recorded unless it is our own write coming back: no echo), matched to an unlinked
// local record by the type's rules, or mirrored under `qbo-{id}`. Deletions, voids and deactivations stay
// distinct states. Pulling payments re-reads the invoices they pay, whose balance changed with them.

import {
  type EventStore,
  type RecordEvent,
  type RecordType,
  type SyncCounts,
  type SyncRequested,
  WrongExpectedRevisionError,
  initialRecordState,
  mirrorLocalId,
  qboLinkStreamName,
  recordDecider,
  recordStreamName,
} from '@qbo-sync/domain';
import { type Kysely, type Transaction, sql } from 'kysely';
import type { Logger } from 'pino';
import type { QboClient } from '../qbo-http/qbo-client.js';
import { isSyncableItem } from '../qbo-http/mappers/item-mapper.js';
import { paidInvoiceQboIds } from '../qbo-http/mappers/payment-mapper.js';
import { readSyncCursor } from '../postgres/read-models/sync-runs-read-model.js';
import { readSyncSettings } from '../postgres/read-models/sync-settings-read-model.js';
import type { QboObject } from '../qbo-http/mappers/qbo-object.js';
import { type RemoteChange, cdcPages, isTombstone, serverNow } from '../qbo-http/cdc-pager.js';
import { deterministicUuid } from './deterministic-id.js';
import { fieldDifferences, localIdsOf, snapshotOf } from './push-executor.js';
import { ACTIVE_OR_NOT, queryPages } from '../qbo-http/query-pager.js';
import { createRecordEventWriter } from './record-event-writer.js';
import type { RecordTypeRegistry, RecordTypeSync } from './record-type-sync.js';
import { findByField, normalise } from '../qbo-http/remote-lookup.js';
import { syncErrorOf } from '../qbo-http/sync-error-of.js';
import type { SyncExecution } from './sync-run.js';

type MutableCounts = { -readonly [K in keyof SyncCounts]: SyncCounts[K] };

interface TransactionalStore extends EventStore {
  appendInTransaction(trx: Transaction<unknown>, stream: string, events: readonly { id: string; type: string; data: unknown; metadata: unknown }[], options?: { expectedRevision?: 'no_stream' }): Promise<unknown>;
}

export interface PullExecutorOptions {
  readonly db: Kysely<unknown>;
  readonly eventStore: EventStore;
  readonly reads: QboClient;
  readonly registry: RecordTypeRegistry;
  readonly now?: () => Date;
  /** Told after each page is recorded (tests watch that pages are handled one at a time). */
  readonly onPage?: (page: { readonly size: number }) => void;
}

export const createPullExecutor = (options: PullExecutorOptions) => {
  const now = options.now ?? (() => new Date());

  return async (request: SyncRequested['data'], context: { readonly logger: Logger }): Promise<SyncExecution> => {
    const { tenantId, syncId, recordType, dryRun } = request;
    const sync = options.registry[recordType];
    const writer = createRecordEventWriter({ eventStore: options.eventStore, tenantId, syncId, now });
    const counts: MutableCounts = { planned: 0, created: 0, updated: 0, matched: 0, skipped: 0, failed: 0, review: 0 };
    const plan: { localId: string; qboId: string; action: string }[] = [];
    const policy = (await readSyncSettings(options.db, tenantId, recordType)).conflictPolicy;
    const at = () => now().toISOString();
    const metadata = { tenantId, correlationId: syncId, causationId: syncId, actor: { type: 'system', id: 'sync-worker' }, schemaVersion: 1 } as const;

    /** Local records not linked yet whose rule field equals a remote value, by normalised value. */
    const localCandidates = async (field: string, values: readonly string[]): Promise<Map<string, string[]>> => {
      const out = new Map<string, string[]>();
      if (values.length === 0) return out;
      const { rows } = await sql<{ local_id: string; value: string }>`select local_id, lower(trim(record->>${field})) as value from records
        where tenant_id = ${tenantId} and record_type = ${recordType} and qbo_id is null and not deleted
          and lower(trim(record->>${field})) = any(${values.map(normalise)}::text[])`.execute(options.db);
      for (const row of rows) out.set(row.value, [...(out.get(row.value) ?? []), row.local_id]);
      return out;
    };

    const recordRemote = async (localId: string, object: QboObject, refs: Map<string, string>, type: RecordType = recordType, typeSync: RecordTypeSync = sync) => {
      const snapshot = snapshotOf(typeSync, object, refs, mirrorLocalId);
      const typePolicy = type === recordType ? policy : (await readSyncSettings(options.db, tenantId, type)).conflictPolicy;
      const { events } = await writer.apply(type, localId, (state) =>
        state.link === null ? null : { type: 'RecordRemoteState', recordType: type, localId, at: at(), remote: snapshot, policy: typePolicy, differences: fieldDifferences(state.record, snapshot.record), syncId },
      );
      return events;
    };

    const tally = (events: readonly RecordEvent[]) => {
      if (events.length === 0) counts.skipped += 1;
      else if (events.some((event) => event.type === 'RecordConflictDetected') && !events.some((event) => event.type === 'RecordConflictResolved')) counts.review += 1;
      else counts.updated += 1;
    };

    /** New mirrors of one page, in one transaction when the store can: link claim and first events per record. */
    const mirror = async (objects: readonly QboObject[], refs: Map<string, string>) => {
      const prepared = objects.flatMap((object) => {
        const localId = mirrorLocalId(object.Id);
        try {
          const snapshot = snapshotOf(sync, object, refs, mirrorLocalId);
          const s0 = initialRecordState();
          const linked = recordDecider.decide({ type: 'LinkRecord', recordType, localId, at: at(), qboId: object.Id, syncToken: object.SyncToken, via: 'pulled', syncId }, s0);
          const s1 = linked.reduce(recordDecider.evolve, s0);
          const changed = recordDecider.decide({ type: 'RecordRemoteState', recordType, localId, at: at(), remote: snapshot, policy, differences: [], syncId }, s1);
          return [{ object, localId, events: [...linked, ...changed] }];
        } catch (error) {
          counts.failed += 1;
          context.logger.warn({ qboId: object.Id, err: error instanceof Error ? error.message : String(error) }, 'a QBO record could not be read as a canonical record');
          return [];
        }
      });
      const claimStream = (qboId: string) => qboLinkStreamName(tenantId, recordType, qboId);
      const claimEvent = (qboId: string, localId: string) => ({ id: deterministicUuid('claim', claimStream(qboId), localId), type: 'QboRecordClaimed', data: { recordType, qboId, localId, at: at() }, metadata });
      const store = options.eventStore as Partial<TransactionalStore>;
      const { rows: existing } = await sql<{ stream_name: string }>`select stream_name from event_streams where stream_name = any(${prepared.flatMap((p) => [claimStream(p.object.Id), recordStreamName(tenantId, recordType, p.localId)])}::text[])`.execute(options.db);
      const taken = new Set(existing.map((row) => row.stream_name));
      const fresh = prepared.filter((p) => !taken.has(claimStream(p.object.Id)) && !taken.has(recordStreamName(tenantId, recordType, p.localId)));
      const slow = prepared.filter((p) => !fresh.includes(p));
      let fast = false;
      if (store.appendInTransaction !== undefined && fresh.length > 0) {
        try {
          await options.db.transaction().execute(async (trx) => {
            for (const p of fresh) {
              await store.appendInTransaction?.(trx, claimStream(p.object.Id), [claimEvent(p.object.Id, p.localId)], { expectedRevision: 'no_stream' });
              const stream = recordStreamName(tenantId, recordType, p.localId);
              await store.appendInTransaction?.(trx, stream, writer.toNewEvents(stream, null, p.events), { expectedRevision: 'no_stream' });
            }
          });
          fast = true;
          counts.created += fresh.length;
        } catch (error) {
          if (!(error instanceof WrongExpectedRevisionError)) throw error;
        }
      }
      // One by one: a resumed run, a store without transactions, or a race lost above.
      for (const p of fast ? slow : prepared) {
        const claim = await writer.claim(recordType, p.object.Id, p.localId);
        if (claim.kind === 'held' && claim.localId !== p.localId) {
          tally(await recordRemote(claim.localId, p.object, refs));
          continue;
        }
        const linked = await writer.apply(recordType, p.localId, (state) =>
          state.link === null ? { type: 'LinkRecord', recordType, localId: p.localId, at: at(), qboId: p.object.Id, syncToken: p.object.SyncToken, via: 'pulled', syncId } : null,
        );
        const events = await recordRemote(p.localId, p.object, refs);
        if (linked.events.length > 0) counts.created += 1;
        else tally(events);
      }
    };

    const pullPage = async (changes: readonly RemoteChange[]) => {
      // CDC windows overlap: the newest version of each record in the page wins.
      const byId = new Map<string, RemoteChange>();
      for (const change of changes) byId.set(change.Id, change);
      // Item categories and bundles are not products this service syncs.
      const page = [...byId.values()].filter((change) => recordType !== 'item' || isTombstone(change) || isSyncableItem(change as never));
      counts.skipped += byId.size - page.length;
      counts.planned += page.length;
      const links = await localIdsOf(options.db, tenantId, page.map((change) => ({ type: recordType, id: change.Id })));
      const objects = page.filter((change): change is QboObject => !isTombstone(change));
      const refs = await localIdsOf(options.db, tenantId, objects.flatMap((object) => sync.references(object)));
      const linkOf = (qboId: string) => links.get(`${recordType}\u0000${qboId}`);
      if (dryRun) {
        for (const change of page) plan.push({ localId: linkOf(change.Id) ?? mirrorLocalId(change.Id), qboId: change.Id, action: isTombstone(change) ? 'delete' : linkOf(change.Id) ? 'update' : 'link_or_mirror' });
        return;
      }
      const unlinked: QboObject[] = [];
      for (const change of page) {
        const localId = linkOf(change.Id);
        if (localId === undefined) {
          if (isTombstone(change)) counts.skipped += 1;
          else unlinked.push(change);
          continue;
        }
        try {
          if (isTombstone(change)) {
            const { events } = await writer.apply(recordType, localId, (state) => (state.link === null ? null : { type: 'RecordRemoteDeletion', recordType, localId, at: at(), qboId: change.Id, syncId }));
            tally(events);
          } else tally(await recordRemote(localId, change, refs));
        } catch (error) {
          counts.failed += 1;
          await writer.apply(recordType, localId, () => ({ type: 'RecordFailure', recordType, localId, at: at(), direction: 'pull', error: syncErrorOf(error), attempt: 1, syncId }));
        }
      }
      // Unlinked: match a local record by the type's rules, else mirror.
      let rest = unlinked;
      for (const rule of sync.matchRules) {
        const values = rest.map((object) => rule.remote(object)).filter((value): value is string => value !== null);
        const candidates = await localCandidates(rule.canonicalField, values);
        const next: QboObject[] = [];
        for (const object of rest) {
          const value = rule.remote(object);
          const locals = value === null ? [] : (candidates.get(normalise(value)) ?? []);
          if (locals.length === 0) {
            next.push(object);
            continue;
          }
          if (locals.length > 1) {
            // Several local records fit: a person chooses; nothing is linked or mirrored meanwhile.
            counts.review += 1;
            for (const localId of locals) {
              await writer.apply(recordType, localId, () => ({ type: 'RecordAmbiguousMatch', recordType, localId, at: at(), rule: rule.name, syncId, candidates: [{ qboId: object.Id, label: String(value) }] }));
            }
            continue;
          }
          const localId = locals[0] as string;
          const claim = await writer.claim(recordType, object.Id, localId);
          if (claim.kind === 'held') {
            tally(await recordRemote(claim.localId, object, refs));
            continue;
          }
          await writer.apply(recordType, localId, (state) => (state.link === null ? { type: 'LinkRecord', recordType, localId, at: at(), qboId: object.Id, syncToken: object.SyncToken, via: 'matched', syncId } : null));
          await recordRemote(localId, object, refs);
          counts.matched += 1;
        }
        rest = next;
      }
      if (rest.length > 0) await mirror(rest, refs);
      if (recordType === 'payment') await refreshPaidInvoices(objects);
      options.onPage?.({ size: changes.length });
    };

    /** A payment changes the balance of the invoices it pays: their new state comes home with it. */
    const refreshPaidInvoices = async (payments: readonly QboObject[]) => {
      const ids = [...new Set(payments.flatMap((payment) => paidInvoiceQboIds(payment as never)))];
      if (ids.length === 0) return;
      const invoiceSync = options.registry.invoice;
      const found = await findByField({ client: options.reads, tenantId, entity: invoiceSync.entity, nameList: false, field: 'Id', values: ids, read: (object) => object.Id });
      const invoices = [...found.values()].flat();
      const links = await localIdsOf(options.db, tenantId, invoices.map((invoice) => ({ type: 'invoice' as const, id: invoice.Id })));
      const refs = await localIdsOf(options.db, tenantId, invoices.flatMap((invoice) => invoiceSync.references(invoice)));
      for (const invoice of invoices) {
        const localId = links.get(`invoice\u0000${invoice.Id}`);
        if (localId !== undefined) await recordRemote(localId, invoice, refs, 'invoice', invoiceSync);
      }
    };

    const cursor = request.scope.kind === 'all' ? null : await readSyncCursor(options.db, tenantId, recordType);
    let next: string;
    if (cursor === null) {
      // Import: everything QBO holds of this type, a page at a time.
      next = await serverNow({ client: options.reads, tenantId });
      for await (const page of queryPages({ client: options.reads, tenantId, entity: sync.entity, where: sync.nameList ? [ACTIVE_OR_NOT] : [] })) await pullPage(page);
    } else {
      const pages = cdcPages({ client: options.reads, tenantId, entity: sync.entity, since: cursor, nameList: sync.nameList });
      for (;;) {
        const step = await pages.next();
        if (step.done) {
          next = step.value;
          break;
        }
        await pullPage(step.value);
      }
    }
    context.logger.info({ counts, cursor: next }, 'pull finished');
    return { counts, cursor: dryRun ? null : next, plan: dryRun ? { items: plan } : null };
  };
};
