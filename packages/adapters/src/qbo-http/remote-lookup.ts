// Finds QBO records by a field's values, many values per query (`IN`), falling back to one LIKE query per
// value QBO's lexer cannot take quoted (curly quotes, en dashes…). Answers everything the queries returned:
// the caller keeps the exact matches, compared as its matching rule compares them.

import type { QboObject } from './mappers/qbo-object.js';
import type { QboClient } from './qbo-client.js';
import { exactLiteral, likePattern } from './qbo-query-text.js';
import { ACTIVE_OR_NOT, queryPages } from './query-pager.js';

const IN_CHUNK = 40;

export const queryByField = async (options: {
  client: QboClient;
  tenantId: string;
  entity: string;
  /** Name lists answer active records only unless asked for inactive ones too. */
  nameList: boolean;
  field: string;
  values: readonly string[];
}): Promise<QboObject[]> => {
  const found = new Map<string, QboObject>();
  const extra = options.nameList ? [ACTIVE_OR_NOT] : [];
  const quoted: string[] = [];
  const risky: string[] = [];
  for (const value of new Set(options.values)) {
    const literal = exactLiteral(value);
    if (literal === null) risky.push(value);
    else quoted.push(literal);
  }
  const run = async (where: string) => {
    for await (const page of queryPages({ client: options.client, tenantId: options.tenantId, entity: options.entity, where: [where, ...extra] })) {
      for (const object of page) found.set(object.Id, object);
    }
  };
  for (let start = 0; start < quoted.length; start += IN_CHUNK) await run(`${options.field} IN (${quoted.slice(start, start + IN_CHUNK).join(', ')})`);
  for (const value of risky) await run(`${options.field} LIKE ${likePattern(value)}`);
  return [...found.values()];
};
