// How an unlinked record finds its counterpart on the other side before anything is created: per type, an
// ordered list of rules (customer: email, then display name; item: SKU, then name; invoice: DocNumber).
// One candidate under a rule is a match; several are a question for a person, never a guess.

import type { RecordType } from '../records/record-type.js';

export type MatchRuleName = 'email' | 'displayName' | 'sku' | 'name' | 'docNumber';

export interface MatchRule {
  readonly name: MatchRuleName;
  /** The canonical field the rule compares. */
  readonly field: string;
  /** The QBO field a lookup query filters on. */
  readonly qboField: string;
  /** The comparable key of a value: normalised as QBO compares it; undefined when the record has none. */
  readonly key: (value: unknown) => string | undefined;
}

const folded = (value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  const key = value.normalize('NFC').trim().toLowerCase();
  return key === '' ? undefined : key;
};

const exact = (value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  const key = value.normalize('NFC').trim();
  return key === '' ? undefined : key;
};

export const MATCH_RULES: Record<RecordType, readonly MatchRule[]> = {
  customer: [
    { name: 'email', field: 'email', qboField: 'PrimaryEmailAddr', key: folded },
    { name: 'displayName', field: 'displayName', qboField: 'DisplayName', key: folded },
  ],
  item: [
    { name: 'sku', field: 'sku', qboField: 'Sku', key: exact },
    { name: 'name', field: 'name', qboField: 'Name', key: folded },
  ],
  invoice: [{ name: 'docNumber', field: 'number', qboField: 'DocNumber', key: exact }],
  // Payments have nothing unique to match on: an unlinked payment is created (its requestid prevents doubles).
  payment: [],
};

/** A record on the other side that a rule may pick: a QBO record (push) or a local record (pull). */
export interface MatchCandidate {
  /** The QBO id (push) or the local id (pull). */
  readonly id: string;
  /** What a person sees in the review queue. */
  readonly label: string;
  readonly record: Record<string, unknown>;
}

export type MatchOutcome =
  | { readonly kind: 'none' }
  | { readonly kind: 'one'; readonly rule: MatchRuleName; readonly candidate: MatchCandidate }
  | { readonly kind: 'ambiguous'; readonly rule: MatchRuleName; readonly candidates: readonly MatchCandidate[] };

/** The lookups a worker runs in QBO for a record: the rule, QBO's field and the value to query by. */
export const matchLookups = (type: RecordType, record: Record<string, unknown>): readonly { readonly rule: MatchRuleName; readonly qboField: string; readonly value: string }[] =>
  MATCH_RULES[type].flatMap((rule) => {
    const value = record[rule.field];
    return typeof value === 'string' && rule.key(value) !== undefined ? [{ rule: rule.name, qboField: rule.qboField, value: value.trim() }] : [];
  });

/**
 * Applies the type's rules in order. Candidates already linked to another record must be left out by the
 * caller (a QBO record belongs to one local record). The first rule that finds anything decides.
 */
export const matchRecord = (type: RecordType, record: Record<string, unknown>, candidates: readonly MatchCandidate[]): MatchOutcome => {
  for (const rule of MATCH_RULES[type]) {
    const key = rule.key(record[rule.field]);
    if (key === undefined) continue;
    const found = uniqueById(candidates.filter((candidate) => rule.key(candidate.record[rule.field]) === key));
    if (found.length === 1) return { kind: 'one', rule: rule.name, candidate: found[0] as MatchCandidate };
    if (found.length > 1) return { kind: 'ambiguous', rule: rule.name, candidates: found };
  }
  return { kind: 'none' };
};

const uniqueById = (candidates: readonly MatchCandidate[]): MatchCandidate[] => [...new Map(candidates.map((candidate) => [candidate.id, candidate])).values()];
