// The content hash of a canonical record: sha256 of its canonical JSON (keys sorted at every depth,
// undefined dropped), so the same content hashes the same whatever order or nulls the host sent it in.

import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every depth; undefined members are left out, as JSON.stringify does. */
export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('canonical JSON holds no NaN or Infinity');
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map((element) => (element === undefined ? 'null' : canonicalJson(element))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
};

/** Hex sha256 of the canonical JSON. */
export const contentHash = (record: unknown): string => createHash('sha256').update(canonicalJson(record), 'utf8').digest('hex');
