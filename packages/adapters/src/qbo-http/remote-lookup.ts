// Finds QBO records by a field's values, many values per query (`IN`), falling back to one LIKE query per
// value QBO's lexer cannot take quoted (curly quotes, en dashes…), and keeping only exact matches
// (case-insensitive and trimmed, as QBO compares names).

import type { QboClient } from './qbo-client.js';
import type { QboObject } from './mappers/qbo-object.js';
import { exactLiteral, likePattern } from './qbo-query-text.js';
import { ACTIVE_OR_NOT, queryPages } from './query-pager.js';

export const normalise = (value: string): string => value.trim().toLowerCase();

const IN_CHUNK = 40;

/** Every QBO object whose field equals one of the values, grouped by the normalised value. */
export const findByField = async (options: {
  client: QboClient;
  tenantId: string;
  entity: string;
  nameList: boolean;
  field: string;
  values: readonly string[];
  read: (object: QboObject) => string | null;
}): Promise<Map<string, QboObject[]>> => {
  const wanted = new Set(options.values.map(normalise));
  const found = new Map<string, QboObject[]>();
  const keep = (object: QboObject) => {
    const value = options.read(object);
    if (value === null) return;
    const key = normalise(value);
    if (!wanted.has(key)) return;
    const list = found.get(key) ?? [];
    if (!list.some((other) => other.Id === object.Id)) list.push(object);
    found.set(key, list);
  };
  const extra = options.nameList ? [ACTIVE_OR_NOT] : [];
  const quoted: string[] = [];
  const risky: string[] = [];
  for (const value of new Set(options.values)) {
    const literal = exactLiteral(value);
    if (literal === null) risky.push(value);
    else quoted.push(literal);
  }
  for (let start = 0; start < quoted.length; start += IN_CHUNK) {
    const chunk = quoted.slice(start, start + IN_CHUNK);
    for await (const page of queryPages({ client: options.client, tenantId: options.tenantId, entity: options.entity, where: [`${options.field} IN (${chunk.join(', ')})`, ...extra] })) {
      page.forEach(keep);
    }
  }
  for (const value of risky) {
    for await (const page of queryPages({ client: options.client, tenantId: options.tenantId, entity: options.entity, where: [`${options.field} LIKE ${likePattern(value)}`, ...extra] })) {
      page.forEach(keep);
    }
  }
  return found;
};
