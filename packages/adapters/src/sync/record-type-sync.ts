// What the sync engine needs to know about one record type, in one place: its QBO entity, how a canonical
// record becomes QBO's JSON and back (the mappers), what it depends on, what it references, and its
// matching rules. The engine is written against this port; each record type fills it from its mapper.

import type { RecordType, RemoteStatus } from '@qbo-sync/domain';
import type { QboObject } from '../qbo-http/mappers/qbo-object.js';

export interface RecordRef {
  readonly type: RecordType;
  readonly id: string;
}

export interface MatchRule {
  /** e.g. "email": named in RecordMatchAmbiguous. */
  readonly name: string;
  /** The value to match on, from the canonical record; null when the record has none. */
  readonly local: (record: Record<string, unknown>) => string | null;
  /** The field in QBO's query language. */
  readonly qboField: string;
  /** The same value read from a QBO object. */
  readonly remote: (object: QboObject) => string | null;
  /** The JSON path of the same value inside a canonical record, for matching local records on a pull. */
  readonly canonicalField: string;
}

export interface RecordTypeSync {
  readonly type: RecordType;
  /** QBO's entity name. */
  readonly entity: string;
  /** Name lists are deactivated, never deleted; transactions are voided. */
  readonly nameList: boolean;
  /** canonical → QBO JSON for a create or a full update; `qboIdOf` gives the QBO id of a dependency. */
  /** The tenant picks the company's default item accounts. */
  toQbo(record: Record<string, unknown>, qboIdOf: (ref: RecordRef) => string | null, tenantId: string): Record<string, unknown>;
  /** QBO JSON → canonical record and the remote status; `localIdOf` gives the local id of a referenced QBO record. */
  fromQbo(object: QboObject, localIdOf: (ref: RecordRef) => string): { readonly record: Record<string, unknown>; readonly status: RemoteStatus };
  /** The local records this one needs linked before it can be pushed (invoice → customer and items). */
  dependencies(record: Record<string, unknown>): readonly RecordRef[];
  /** The QBO records an object points at, by QBO id (for resolving local ids on a pull). */
  references(object: QboObject): readonly RecordRef[];
  /** Tried in order before a create; the first rule that finds anything decides. */
  readonly matchRules: readonly MatchRule[];
  /** Record types whose QBO side changes when this one is written (a payment changes its invoices' balance). */
  readonly touches?: readonly RecordType[];
}

export type RecordTypeRegistry = Readonly<Record<RecordType, RecordTypeSync>>;
