// GET /cdc: full objects changed since changedSince (at most 30 days back), per requested type in
// one QueryResponse each, oldest change first, deletions after the live rows as bare
// {status:"Deleted"} tombstones, at most 1000 objects in all.

import { requiredParam } from '../faults/fault-catalog.js';
import { validationFault } from '../faults/fault.js';
import type { Body, Company } from '../store/company.js';
import { recordsOf, tombstonesOf } from '../store/company.js';
import type { EntityName } from '../store/entity-name.js';
import { entityByLowerName } from '../store/entity-name.js';
import { parseWhenInPacific } from '../time/parse-datetime.js';

export const CDC_MAX_OBJECTS = 1000;
export const CDC_MAX_DAYS = 30;
const NOT_SUPPORTED = new Set(['journalcode', 'timeactivity', 'taxagency', 'taxcode', 'taxrate']);

const cdcFault = (detail: string, element: string) => validationFault('2070', 'Invalid parameter', detail, element);

export const changeDataCapture = (company: Company, params: { entities?: unknown; changedSince?: unknown }, now: Date): Body => {
  if (typeof params.entities !== 'string' || params.entities.trim() === '') throw requiredParam('entities');
  if (typeof params.changedSince !== 'string' || params.changedSince.trim() === '') throw requiredParam('changedSince');
  const since = parseWhenInPacific(params.changedSince);
  if (since === undefined) throw cdcFault(`changedSince is not a valid date or datetime: ${params.changedSince}`, 'changedSince');
  if (since < now.getTime() - CDC_MAX_DAYS * 86_400_000) {
    // Wording as reported from Intuit (Wish-Org/QuickBooksSharp#19).
    throw validationFault('500', 'Unsupported Operation', `Operation cdc with changedSince date ${params.changedSince} which is older than fixed days is not supported.`);
  }
  const entities: EntityName[] = [];
  for (const raw of params.entities.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (NOT_SUPPORTED.has(raw.toLowerCase())) throw cdcFault(`Change data capture is not supported for ${raw}`, 'entities');
    const e = entityByLowerName(raw);
    if (!e) throw cdcFault(`Unknown entity in entities: ${raw}`, 'entities');
    if (!entities.includes(e)) entities.push(e);
  }

  type Change = { entity: EntityName; at: number; body: Body; deleted: boolean };
  const changes: Change[] = [];
  for (const entity of entities) {
    for (const rec of recordsOf(company, entity).values()) {
      if (rec.updatedAt >= since) changes.push({ entity, at: rec.updatedAt, body: rec.object, deleted: false });
    }
    for (const t of tombstonesOf(company, entity).values()) {
      if (t.deletedAt >= since) {
        changes.push({
          entity,
          at: t.deletedAt,
          deleted: true,
          body: { status: 'Deleted', domain: 'QBO', Id: t.Id, MetaData: { LastUpdatedTime: t.LastUpdatedTime } },
        });
      }
    }
  }
  // The 1000 cap keeps the oldest changes, so a client that moves its cursor forward misses nothing.
  const kept = changes.sort((a, b) => a.at - b.at).slice(0, CDC_MAX_OBJECTS);

  const responses: Body[] = [];
  for (const entity of entities) {
    const mine = kept.filter((c) => c.entity === entity);
    if (mine.length === 0) continue;
    const rows = [...mine.filter((c) => !c.deleted), ...mine.filter((c) => c.deleted)].map((c) => c.body);
    responses.push({ [entity]: rows, startPosition: 1, maxResults: rows.length, totalCount: rows.length });
  }
  return { CDCResponse: [{ QueryResponse: responses.length > 0 ? responses : [{}] }] };
};
