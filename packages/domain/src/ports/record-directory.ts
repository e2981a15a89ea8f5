// The write side's own index of records, for the decisions that need a search: which local record holds a QBO
// record, which QBO record a local one is linked to, which unlinked records a matching rule finds, and which
// records a push should look at. Its Postgres adapter is written in the same transaction as the events it
// indexes (an inline projection of the log), so it is never behind the log the way a read model may be, and
// it can be rebuilt from the log at any time.

import type { RecordType } from '../records/record-type.js';
import type { MatchRuleName } from '../sync/match-rules.js';

export interface RecordDirectoryPage {
  /** Local ids after this one (exclusive), in id order; null starts at the beginning. */
  readonly after: string | null;
  readonly limit: number;
  /** Only records with something for QBO (new content, an unlinked record, a delete not carried out). */
  readonly needsPush?: boolean;
}

export interface RecordDirectory {
  /** The local record holding each QBO record, by QBO id; QBO records nobody holds are absent. */
  localIdsOf(tenantId: string, type: RecordType, qboIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /** The QBO record each local record is linked to, by local id; unlinked records are absent. */
  qboIdsOf(tenantId: string, type: RecordType, localIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /** Unlinked, live local records whose key under the rule is one of the keys, by key. */
  unlinkedByMatchKey(tenantId: string, type: RecordType, rule: MatchRuleName, keys: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>>;
  /** A page of local ids of a type, in id order. */
  localIds(tenantId: string, type: RecordType, page: RecordDirectoryPage): Promise<readonly string[]>;
  /**
   * A page of linked records of a type that QBO has not deleted (as far as the log knows), in local-id order:
   * for reconciling a full pull with what QBO still holds.
   */
  linked(tenantId: string, type: RecordType, page: { readonly after: string | null; readonly limit: number }): Promise<readonly { readonly localId: string; readonly qboId: string }[]>;
}
