// The contract each entity's rules fulfil; the generic create/update/delete/void operations drive it.

import type { Body, QboObject } from '../store/company.js';
import type { EntityName } from '../store/entity-name.js';
import type { WriteContext } from './write-context.js';

export interface EntityDefinition {
  name: EntityName;
  kind: 'list' | 'transaction' | 'singleton';
  /** Every property a client may send (writable and read-only ones it echoes back); anything else is 2010. */
  known: ReadonlySet<string>;
  /**
   * Validates the request (already merged over the stored record for a sparse update) and returns
   * the body to store, with read-only fields computed. Throws QboFault.
   */
  prepare(body: Body, ctx: WriteContext, existing: QboObject | undefined): Body;
  /** The body after a void (amounts zeroed, "Voided" note). Absent: the entity cannot be voided. */
  voided?(existing: QboObject): Body;
  /** Refuses a delete or void that would break another record. */
  beforeRemove?(ctx: WriteContext, existing: QboObject): void;
  /** Keeps dependent records right after a write or delete (payments → invoices → customer balances). */
  afterWrite?(ctx: WriteContext, before: QboObject | undefined, after: QboObject | undefined): void;
}
