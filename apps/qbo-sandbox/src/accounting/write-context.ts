// What every accounting rule gets: the company, the moment of the write, what it may see
// (batch items do not see each other's creates) and where it reports the changes it made.

import type { Company } from '../store/company.js';
import type { EntityName } from '../store/entity-name.js';

/** The operations webhooks report (same union as the webhook dispatcher's). */
export type ChangeOperation = 'Create' | 'Update' | 'Delete' | 'Void' | 'Merge' | 'Emailed';

export interface RecordedChange {
  entity: EntityName;
  id: string;
  operation: ChangeOperation;
}

export interface WriteContext {
  company: Company;
  now: Date;
  /** false for records created by another item of the same batch request. */
  isVisible(entity: EntityName, id: string): boolean;
  allowDuplicateDocNum: boolean;
  /** Every record this request wrote, in order (the primary one and any it touched, e.g. invoices a payment applies to). */
  changes: RecordedChange[];
}

export const createWriteContext = (company: Company, now: Date, opts: Partial<Pick<WriteContext, 'isVisible' | 'allowDuplicateDocNum'>> = {}): WriteContext => ({
  company,
  now,
  isVisible: opts.isVisible ?? (() => true),
  allowDuplicateDocNum: opts.allowDuplicateDocNum ?? false,
  changes: [],
});
