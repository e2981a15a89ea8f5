// Create, read, update (full or sparse), delete and void for any entity, with QBO's bookkeeping:
// numeric ids, SyncToken counter checked on every write (5010), Pacific MetaData times, tombstones
// for CDC, and the changes list webhooks are fed from.

import {
  businessValidation,
  deletedTransaction,
  invalidId,
  objectNotFound,
  requiredParam,
  staleObject,
  unsupportedOperation,
} from '../faults/fault-catalog.js';
import type { Body, QboObject } from '../store/company.js';
import { recordsOf, takeId, tombstonesOf } from '../store/company.js';
import type { EntityName } from '../store/entity-name.js';
import { pacificSeconds } from '../time/pacific-time.js';
import type { EntityDefinition } from './entity-definition.js';
import { ENTITY_DEFINITIONS } from './entity-registry.js';
import { SYSTEM_FIELDS, isBlank, isTrue, rejectUnknownProperties } from './field-rules.js';
import type { WriteContext } from './write-context.js';

/** Set by a fault rule: the next write answers 5010 whatever SyncToken it sends. */
export interface WriteOptions {
  forceStale?: boolean;
}

const stripSystem = (body: Body): Body => {
  const out: Body = { ...body };
  for (const f of SYSTEM_FIELDS) delete out[f];
  return out;
};

const ID = /^\d+$/;

const requireBody = (def: EntityDefinition, input: unknown): Body => {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw businessValidation(`The request body must be a ${def.name} object.`);
  }
  return input as Body;
};

export const readRecord = (ctx: WriteContext, entity: EntityName, id: string): QboObject => {
  if (!ID.test(id)) throw invalidId(id);
  const rec = recordsOf(ctx.company, entity).get(id);
  if (!rec || !ctx.isVisible(entity, id)) {
    throw tombstonesOf(ctx.company, entity).has(id) ? deletedTransaction() : objectNotFound();
  }
  return rec.object;
};

const stamp = (ctx: WriteContext, body: Body, id: string, syncToken: string, createTime: string): QboObject => ({
  ...body,
  domain: 'QBO',
  sparse: false,
  Id: id,
  SyncToken: syncToken,
  MetaData: { CreateTime: createTime, LastUpdatedTime: pacificSeconds(ctx.now) },
});

export const createRecord = (ctx: WriteContext, entity: EntityName, input: unknown): QboObject => {
  const def = ENTITY_DEFINITIONS[entity];
  if (def.kind === 'singleton') throw unsupportedOperation('Create');
  const body = requireBody(def, input);
  rejectUnknownProperties(entity, body, def.known);
  const prepared = def.prepare(stripSystem(body), ctx, undefined);
  const id = takeId(ctx.company, entity);
  const obj = stamp(ctx, prepared, id, '0', pacificSeconds(ctx.now));
  const at = ctx.now.getTime();
  recordsOf(ctx.company, entity).set(id, { object: obj, createdAt: at, updatedAt: at });
  ctx.changes.push({ entity, id, operation: 'Create' });
  def.afterWrite?.(ctx, undefined, obj);
  return recordsOf(ctx.company, entity).get(id)!.object;
};

/** The stored record an Id/SyncToken pair names, checked the way every write checks it. */
const current = (ctx: WriteContext, entity: EntityName, body: Body, opts: WriteOptions): QboObject => {
  if (isBlank(body.Id)) throw requiredParam('Id');
  if (body.SyncToken === undefined || body.SyncToken === null || body.SyncToken === '') throw requiredParam('SyncToken');
  const existing = readRecord(ctx, entity, String(body.Id));
  if (opts.forceStale || String(body.SyncToken) !== existing.SyncToken) throw staleObject();
  return existing;
};

const store = (ctx: WriteContext, entity: EntityName, def: EntityDefinition, before: QboObject, body: Body, operation: 'Update' | 'Void'): QboObject => {
  const obj = stamp(ctx, stripSystem(body), before.Id, String(Number(before.SyncToken) + 1), before.MetaData.CreateTime);
  const records = recordsOf(ctx.company, entity);
  const rec = records.get(before.Id)!;
  records.set(before.Id, { object: obj, createdAt: rec.createdAt, updatedAt: ctx.now.getTime() });
  ctx.changes.push({ entity, id: before.Id, operation });
  def.afterWrite?.(ctx, before, obj);
  return records.get(before.Id)!.object;
};

export const updateRecord = (ctx: WriteContext, entity: EntityName, input: unknown, opts: WriteOptions = {}): QboObject => {
  const def = ENTITY_DEFINITIONS[entity];
  const body = requireBody(def, input);
  rejectUnknownProperties(entity, body, def.known);
  const existing = current(ctx, entity, body, opts);
  const sparse = isTrue(body.sparse);
  // A full update replaces every writable field; one left out is cleared, as in QBO.
  const merged = sparse ? { ...stripSystem(existing), ...stripSystem(body) } : stripSystem(body);
  const prepared = def.prepare(merged, ctx, existing);
  return store(ctx, entity, def, existing, prepared, 'Update');
};

export const deleteRecord = (ctx: WriteContext, entity: EntityName, input: unknown, opts: WriteOptions = {}): Body => {
  const def = ENTITY_DEFINITIONS[entity];
  if (def.kind !== 'transaction') throw unsupportedOperation(`Delete for ${entity} (make it inactive with Active:false instead)`);
  const body = requireBody(def, input);
  const existing = current(ctx, entity, body, opts);
  def.beforeRemove?.(ctx, existing);
  recordsOf(ctx.company, entity).delete(existing.Id);
  tombstonesOf(ctx.company, entity).set(existing.Id, {
    Id: existing.Id,
    deletedAt: ctx.now.getTime(),
    LastUpdatedTime: pacificSeconds(ctx.now),
  });
  ctx.changes.push({ entity, id: existing.Id, operation: 'Delete' });
  def.afterWrite?.(ctx, existing, undefined);
  return { domain: 'QBO', status: 'Deleted', Id: existing.Id };
};

export const voidRecord = (ctx: WriteContext, entity: EntityName, input: unknown, opts: WriteOptions = {}): QboObject => {
  const def = ENTITY_DEFINITIONS[entity];
  if (!def.voided) throw unsupportedOperation(`Void for ${entity}`);
  const body = requireBody(def, input);
  const existing = current(ctx, entity, body, opts);
  def.beforeRemove?.(ctx, existing);
  return store(ctx, entity, def, existing, def.voided(existing), 'Void');
};

export const VOIDABLE: ReadonlySet<EntityName> = new Set(
  (Object.keys(ENTITY_DEFINITIONS) as EntityName[]).filter((e) => ENTITY_DEFINITIONS[e].voided !== undefined),
);
