// POST /batch: up to 30 independent items (create, update, delete, void via optionsData, Query).
// Not transactional: each item succeeds or faults on its own inside an HTTP 200, and no item sees
// what another item of the same request created.

import { createRecord, deleteRecord, updateRecord, voidRecord } from '../accounting/operations.js';
import type { RecordedChange } from '../accounting/write-context.js';
import { createWriteContext } from '../accounting/write-context.js';
import { QboFault, validationFault } from '../faults/fault.js';
import { requiredParam, systemFault } from '../faults/fault-catalog.js';
import { runQuery } from '../query/query-executor.js';
import type { Body, Company } from '../store/company.js';
import type { EntityName } from '../store/entity-name.js';
import { ENTITY_NAMES } from '../store/entity-name.js';

export const MAX_BATCH_ITEMS = 30;

export interface BatchOutcome {
  body: Body;
  changes: RecordedChange[];
}

const entityKeyOf = (item: Body): EntityName | undefined => (ENTITY_NAMES as readonly string[]).find((n) => n in item) as EntityName | undefined;

export const runBatch = (
  company: Company,
  request: unknown,
  now: Date,
  opts: { allowDuplicateDocNum?: boolean; maxBidLength?: number; forceStale?: boolean } = {},
): BatchOutcome => {
  const items = (request as Body | null)?.BatchItemRequest;
  if (!Array.isArray(items) || items.length === 0) throw requiredParam('BatchItemRequest');
  if (items.length > MAX_BATCH_ITEMS) {
    throw validationFault('2050', 'Batch request has too many items', `BatchItemRequest has ${items.length} items; the maximum is ${MAX_BATCH_ITEMS}.`, 'BatchItemRequest');
  }
  const bIds = new Set<string>();
  for (const item of items as Body[]) {
    const bId = item?.bId;
    if (typeof bId !== 'string' || bId === '') throw requiredParam('bId');
    if (opts.maxBidLength !== undefined && bId.length > opts.maxBidLength) {
      throw validationFault('2050', 'String length is either shorter or longer than supported by specification', `String length specified does not match the supported length. Min:1 Max:${opts.maxBidLength} supplied length:${bId.length}`, 'bId');
    }
    if (bIds.has(bId)) throw validationFault('6000', 'A business validation error has occurred while processing your request', `Business Validation Error: bId ${bId} is used by more than one batch item.`, 'bId');
    bIds.add(bId);
  }

  // Ids created by this request stay invisible to its other items.
  const hidden = new Set<string>();
  const isVisible = (entity: EntityName, id: string) => !hidden.has(`${entity}:${id}`);
  const changes: RecordedChange[] = [];
  const responses = (items as Body[]).map((item) => {
    const bId = item.bId as string;
    const ctx = createWriteContext(company, now, { isVisible, allowDuplicateDocNum: opts.allowDuplicateDocNum ?? false });
    try {
      if (typeof item.Query === 'string') return { QueryResponse: runQuery(company, item.Query, { isVisible }).QueryResponse, bId };
      const entity = entityKeyOf(item);
      if (!entity) throw requiredParam('BatchItemRequest entity');
      const operation = item.operation as string | undefined;
      let result: Body;
      if (operation === 'create') result = createRecord(ctx, entity, item[entity]);
      else if (operation === 'update' && item.optionsData === 'void') result = voidRecord(ctx, entity, item[entity], opts);
      else if (operation === 'update') result = updateRecord(ctx, entity, item[entity], opts);
      else if (operation === 'delete') result = deleteRecord(ctx, entity, item[entity], opts);
      else if (operation === undefined) throw requiredParam('operation');
      else throw validationFault('2170', 'Invalid Enumeration', `Invalid Enumeration : ${operation}`, 'operation');
      for (const c of ctx.changes) if (c.operation === 'Create') hidden.add(`${c.entity}:${c.id}`);
      changes.push(...ctx.changes);
      return { [entity]: result, bId };
    } catch (e) {
      const fault = e instanceof QboFault ? e : systemFault();
      return { Fault: fault.toFault(), bId };
    }
  });
  return { body: { BatchItemResponse: responses }, changes };
};
