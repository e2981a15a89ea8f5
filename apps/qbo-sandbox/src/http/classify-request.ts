// Works out what an Accounting API request asks for (entity, operation), before anything runs, so
// limits, fault rules, the request log and requestid handling all see the same facts.

import type { ApiOperation } from '../controls/fault-rules.js';
import type { EntityName } from '../store/entity-name.js';
import { ENTITY_NAMES } from '../store/entity-name.js';

/** URL segments are the lower-case entity name, and case-sensitive like Intuit's. */
const BY_SEGMENT = new Map<string, EntityName>(ENTITY_NAMES.map((n) => [n.toLowerCase(), n]));

export type Route =
  | { kind: 'query'; operation: 'query' }
  | { kind: 'batch'; operation: 'batch' }
  | { kind: 'cdc'; operation: 'cdc' }
  | { kind: 'read'; operation: 'read'; entity: EntityName; id?: string }
  | { kind: 'write'; operation: Exclude<ApiOperation, 'read' | 'query' | 'batch' | 'cdc'>; entity: EntityName }
  | { kind: 'unsupported'; operation?: undefined; entity?: EntityName };

export const classifyRequest = (method: string, subPath: string, query: Record<string, unknown>, body: unknown): Route => {
  const segments = subPath.split('/').filter(Boolean);
  const [first, second, ...rest] = segments;
  if (rest.length > 0 || first === undefined) return { kind: 'unsupported' };
  if (first === 'query' && second === undefined && (method === 'GET' || method === 'POST')) return { kind: 'query', operation: 'query' };
  if (first === 'batch' && second === undefined && method === 'POST') return { kind: 'batch', operation: 'batch' };
  if (first === 'cdc' && second === undefined && method === 'GET') return { kind: 'cdc', operation: 'cdc' };
  const entity = BY_SEGMENT.get(first);
  if (!entity) return { kind: 'unsupported' };
  if (method === 'GET') {
    if (second === undefined && entity !== 'Preferences') return { kind: 'unsupported', entity };
    return { kind: 'read', operation: 'read', entity, ...(second !== undefined ? { id: second } : {}) };
  }
  if (method !== 'POST' || second !== undefined) return { kind: 'unsupported', entity };
  const operation = typeof query.operation === 'string' ? query.operation.toLowerCase() : undefined;
  const include = typeof query.include === 'string' ? query.include.toLowerCase().split(',') : [];
  if (operation === 'delete') return { kind: 'write', operation: 'delete', entity };
  if (operation === 'void') return { kind: 'write', operation: 'void', entity };
  if (operation === 'update' && include.includes('void')) return { kind: 'write', operation: 'void', entity };
  if (operation === 'update') return { kind: 'write', operation: 'update', entity };
  if (operation !== undefined) return { kind: 'unsupported', entity };
  const hasId = body !== null && typeof body === 'object' && (body as Record<string, unknown>).Id !== undefined;
  return { kind: 'write', operation: hasId || entity === 'CompanyInfo' || entity === 'Preferences' ? 'update' : 'create', entity };
};
