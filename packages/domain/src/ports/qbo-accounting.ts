// The QuickBooks Online Accounting API as the sync needs it, in canonical terms: the adapter (qbo-http) owns
// QBO's JSON, its query language, paging, CDC, batches, requestids, limits and retries, and hands back
// canonical records. References between records (an invoice's customer) are translated through the
// `ReferenceLookup` the caller passes, so the adapter never decides which local record holds what.

import type { RecordType } from '../records/record-type.js';
import type { RemoteStatus } from '../records/record-events.js';
import type { MatchRuleName } from '../sync/match-rules.js';
import type { WriteIdentity, WriteOperation } from '../sync/request-id.js';
import type { SyncError } from '../sync/sync-error.js';

/** One QBO record in canonical form (the caller hashes it into a RemoteSnapshot). */
export interface RemoteRecord {
  readonly qboId: string;
  readonly syncToken: string;
  readonly status: RemoteStatus;
  readonly record: Record<string, unknown>;
  /** QBO's MetaData.LastUpdatedTime. */
  readonly remoteUpdatedAt: string;
  /** What a person sees for it (display name, item name, DocNumber). */
  readonly label: string;
}

/** A change CDC reported: a record as it is now, or only the fact that it was deleted. */
export type RemoteChange =
  | { readonly kind: 'changed'; readonly remote: RemoteRecord }
  | { readonly kind: 'deleted'; readonly qboId: string; readonly remoteUpdatedAt: string }
  /** A record QBO holds that this service does not sync (an item category), or cannot read canonically. */
  | { readonly kind: 'unreadable'; readonly qboId: string; readonly reason: string };

/** Local ids of referenced QBO records, asked once per page; a QBO id no local record holds is absent. */
export type ReferenceLookup = (type: RecordType, qboIds: readonly string[]) => Promise<ReadonlyMap<string, string>>;

/** One write to QBO. */
export interface RemoteWrite {
  /** Unique within one call (the local id). */
  readonly key: string;
  readonly recordType: RecordType;
  readonly operation: WriteOperation;
  /** What the requestid is derived from. */
  readonly identity: WriteIdentity;
  /** The canonical record to write (create and update). */
  readonly record: Record<string, unknown> | null;
  /** The QBO record written over (update, deactivate, void, delete). */
  readonly existing: { readonly qboId: string; readonly syncToken: string } | null;
  /** QBO ids of the records this one references, by `${type}:${localId}` (the push links them first). */
  readonly references: ReadonlyMap<string, string>;
}

export const referenceKey = (type: RecordType, localId: string): string => `${type}:${localId}`;

export type RemoteWriteResult =
  /** QBO took it. `found`: the answer was lost (or the name was taken) and a lookup found the record. */
  | {
      readonly kind: 'written' | 'found';
      readonly key: string;
      readonly requestId: string;
      readonly qboId: string;
      readonly syncToken: string;
      readonly label: string;
      /** Calls it took (retries after faults or lost answers included). */
      readonly attempts: number;
      /** QBO's record as the write left it, in canonical form (null when it cannot be read as one). */
      readonly remote: RemoteRecord | null;
    }
  | { readonly kind: 'failed'; readonly key: string; readonly requestId: string; readonly error: SyncError; readonly attempts: number };

export interface RemoteWriteHooks {
  /** Told when a call waits on QBO's limits (the run shows it). */
  readonly onThrottle?: (waitMs: number) => void;
}

export interface QboAccounting {
  /** Records whose field under the rule equals one of the values, compared as QBO compares them. */
  find(tenantId: string, type: RecordType, rule: MatchRuleName, values: readonly string[], refs: ReferenceLookup): Promise<readonly RemoteRecord[]>;
  /** Records by QBO id; ids QBO does not hold (any more) are absent from the answer. */
  readByIds(tenantId: string, type: RecordType, qboIds: readonly string[], refs: ReferenceLookup): Promise<readonly RemoteRecord[]>;
  /** Every record of the type, a page at a time; returns the cursor for the next incremental pull (QBO's time before the first page). */
  importPages(tenantId: string, type: RecordType, refs: ReferenceLookup): AsyncGenerator<readonly RemoteChange[], string, undefined>;
  /** What changed since a cursor (CDC, or a query past its 30 days), a page at a time; returns the next cursor. */
  changePages(tenantId: string, type: RecordType, since: string, refs: ReferenceLookup): AsyncGenerator<readonly RemoteChange[], string, undefined>;
  /** Writes, in batches, each with a deterministic requestid; answers every write, in the order given. */
  write(tenantId: string, writes: readonly RemoteWrite[], hooks?: RemoteWriteHooks): Promise<readonly RemoteWriteResult[]>;
}
