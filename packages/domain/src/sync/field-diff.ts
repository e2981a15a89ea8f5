// Field-level differences between two canonical records, for dry-run plans and conflict events. Fields
// that only QBO computes (records/computed-fields.ts) are left out: a push never writes them, so they are no
// difference a person must decide.

import { COMPUTED_FIELDS } from '../records/computed-fields.js';
import type { RecordType } from '../records/record-type.js';

export interface FieldDiff {
  /** Dotted path, e.g. "billingAddress.city" or "lines.0.unitPrice". */
  readonly field: string;
  readonly local: unknown;
  readonly remote: unknown;
}


const isPlainObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

const flatten = (value: unknown, prefix: string, out: Map<string, unknown>): void => {
  if (isPlainObject(value)) {
    for (const [key, member] of Object.entries(value)) flatten(member, prefix === '' ? key : `${prefix}.${key}`, out);
  } else if (Array.isArray(value)) {
    value.forEach((member, index) => flatten(member, `${prefix}.${index}`, out));
    if (value.length === 0) out.set(prefix, []);
  } else if (value !== undefined) {
    out.set(prefix, value);
  }
};

/** The leaves that differ; `remote` null means "no remote record" (every local field is a difference). */
export const fieldDiffs = (type: RecordType, local: Record<string, unknown> | null, remote: Record<string, unknown> | null): FieldDiff[] => {
  const left = new Map<string, unknown>();
  const right = new Map<string, unknown>();
  flatten(local ?? {}, '', left);
  flatten(remote ?? {}, '', right);
  const skipped = COMPUTED_FIELDS[type];
  const fields = [...new Set([...left.keys(), ...right.keys()])].filter((field) => !skipped.includes(field.split('.')[0] ?? field)).sort();
  return fields.flatMap((field) => {
    const a = left.get(field);
    const b = right.get(field);
    return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ field, local: a ?? null, remote: b ?? null }];
  });
};
