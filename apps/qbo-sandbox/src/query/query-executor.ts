// Runs a parsed query against one company: AND-only filters with case-insensitive comparison,
// references compared by id, datetimes compared with their offsets, name lists active-only unless
// Active is filtered, 1-based STARTPOSITION, MAXRESULTS default 100 and silently capped at 1000.

import { invalidQuery } from '../faults/fault-catalog.js';
import type { Body, Company, QboObject, StoredRecord } from '../store/company.js';
import { recordsOf } from '../store/company.js';
import type { EntityName } from '../store/entity-name.js';
import { NAME_LIST_ENTITIES, entityByLowerName } from '../store/entity-name.js';
import { parseWhenInPacific } from '../time/parse-datetime.js';
import { filterableField } from './filterable-fields.js';
import type { Condition, Literal, ParsedQuery } from './query-parser.js';
import { parseQuery } from './query-parser.js';

export const DEFAULT_MAX_RESULTS = 100;
export const MAX_MAX_RESULTS = 1000;

type Scalar = string | number | boolean | undefined;

/** Reads a dotted path case-insensitively; references and e-mail objects compare by their value. */
const readPath = (obj: Body, path: string): unknown => {
  let cur: unknown = obj;
  for (const seg of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    const lower = seg.toLowerCase();
    const key = Object.keys(cur as Body).find((k) => k.toLowerCase() === lower);
    cur = key === undefined ? undefined : (cur as Body)[key];
  }
  return cur;
};

const scalarOf = (v: unknown): Scalar => {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'object') {
    const o = v as Body;
    if ('value' in o) return o.value as string;
    if ('Address' in o) return o.Address as string;
    return undefined;
  }
  return v as Scalar;
};

const isTimeField = (f: string) => f === 'MetaData.CreateTime' || f === 'MetaData.LastUpdatedTime';

const compare = (a: Scalar, b: Literal, field: string, rec: StoredRecord): number | undefined => {
  if (isTimeField(field)) {
    if (b.kind !== 'string') return undefined;
    const when = parseWhenInPacific(b.value);
    if (when === undefined) throw invalidQuery(`invalid datetime value '${b.value}' for ${field}`);
    // Exact write times, so a cursor taken from a response never skips a write in the same second.
    const at = field === 'MetaData.CreateTime' ? rec.createdAt : rec.updatedAt;
    return at - when;
  }
  if (a === undefined) return undefined;
  if (b.kind === 'boolean') {
    const av = a === true || a === 'true';
    return av === b.value ? 0 : av ? 1 : -1;
  }
  const an = typeof a === 'number' ? a : Number(a);
  if (b.kind === 'number' || (typeof a === 'number' && b.value.trim() !== '' && Number.isFinite(Number(b.value)))) {
    const bn = Number(b.value);
    if (Number.isFinite(an) && Number.isFinite(bn)) return an - bn;
  }
  const as = String(a).toLowerCase();
  const bs = String(b.value).toLowerCase();
  return as < bs ? -1 : as > bs ? 1 : 0;
};

/**
 * QBO's LIKE: `%` is the only wildcard, case-insensitive. Matched without a regular expression: the first
 * piece must start the value, the last must end it, and each piece between is found leftmost after the one
 * before. Greedy-leftmost is exact for `%`-only patterns, and it never backtracks, so a hostile name of
 * hundreds of wildcards costs one pass over the value per piece instead of exponential time.
 */
export const likeMatches = (pattern: string, value: string): boolean => {
  const pieces = pattern.toLowerCase().split('%');
  const text = value.toLowerCase();
  if (pieces.length === 1) return text === pieces[0];
  const first = pieces[0] as string;
  const last = pieces[pieces.length - 1] as string;
  if (!text.startsWith(first) || text.length < first.length + last.length || !text.endsWith(last)) return false;
  let at = first.length;
  const end = text.length - last.length;
  for (const piece of pieces.slice(1, -1)) {
    if (piece === '') continue;
    const found = text.indexOf(piece, at);
    if (found === -1 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return true;
};

const matches = (rec: StoredRecord, c: Condition): boolean => {
  const raw = scalarOf(readPath(rec.object, c.field));
  const first = c.values[0]!;
  switch (c.operator) {
    case '=':
      return compare(raw, first, c.field, rec) === 0;
    case '<': {
      const r = compare(raw, first, c.field, rec);
      return r !== undefined && r < 0;
    }
    case '>': {
      const r = compare(raw, first, c.field, rec);
      return r !== undefined && r > 0;
    }
    case '<=': {
      const r = compare(raw, first, c.field, rec);
      return r !== undefined && r <= 0;
    }
    case '>=': {
      const r = compare(raw, first, c.field, rec);
      return r !== undefined && r >= 0;
    }
    case 'IN':
      return c.values.some((v) => compare(raw, v, c.field, rec) === 0);
    case 'LIKE':
      return raw !== undefined && likeMatches(String(first.value), String(raw));
  }
};

const orderValue = (rec: StoredRecord, field: string): string | number => {
  if (isTimeField(field)) return field === 'MetaData.CreateTime' ? rec.createdAt : rec.updatedAt;
  if (field.toLowerCase() === 'id') return Number(rec.object.Id);
  const v = scalarOf(readPath(rec.object, field));
  if (typeof v === 'number') return v;
  if (v === undefined) return '';
  return String(v).toLowerCase();
};

const validate = (entity: EntityName, q: ParsedQuery): Condition[] =>
  q.where.map((c) => {
    const field = filterableField(entity, c.field);
    if (!field) throw invalidQuery(`property '${c.field}' is not queryable`);
    if (field === 'Id' && c.operator !== '=' && c.operator !== 'IN') {
      throw invalidQuery(`operator ${c.operator} is not supported for property 'Id'; use = or IN`);
    }
    return { ...c, field };
  });

export type QueryResult = Body;

export interface QueryOptions {
  isVisible?: (entity: EntityName, id: string) => boolean;
}

export const runQuery = (company: Company, text: string, opts: QueryOptions = {}): QueryResult => {
  const q = parseQuery(text);
  const entity = entityByLowerName(q.entity);
  if (!entity) throw invalidQuery(`invalid context declaration: ${q.entity}`);
  const where = validate(entity, q);
  if (NAME_LIST_ENTITIES.has(entity) && !where.some((c) => c.field === 'Active')) {
    where.push({ field: 'Active', operator: '=', values: [{ kind: 'boolean', value: true }] });
  }
  const visible = opts.isVisible ?? (() => true);
  let rows = [...recordsOf(company, entity).values()].filter((r) => visible(entity, r.object.Id) && where.every((c) => matches(r, c)));

  if (q.count) return { QueryResponse: { totalCount: rows.length } };

  const order = q.orderBy.length > 0 ? q.orderBy : [{ field: 'Id', direction: 'ASC' as const }];
  rows = rows.sort((a, b) => {
    for (const o of order) {
      const av = orderValue(a, o.field);
      const bv = orderValue(b, o.field);
      if (av < bv) return o.direction === 'ASC' ? -1 : 1;
      if (av > bv) return o.direction === 'ASC' ? 1 : -1;
    }
    return Number(a.object.Id) - Number(b.object.Id);
  });

  const start = q.startPosition ?? 1;
  if (start < 1) throw invalidQuery(`STARTPOSITION must be 1 or more (it is 1-based), got ${start}`);
  const requested = q.maxResults ?? DEFAULT_MAX_RESULTS;
  if (requested < 1) throw invalidQuery(`MAXRESULTS must be 1 or more, got ${requested}`);
  const max = Math.min(requested, MAX_MAX_RESULTS);
  const page: QboObject[] = rows.slice(start - 1, start - 1 + max).map((r) => r.object);
  if (page.length === 0) return { QueryResponse: {} };
  return { QueryResponse: { [entity]: page, startPosition: start, maxResults: page.length } };
};
