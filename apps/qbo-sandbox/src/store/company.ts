// One sandbox company (realm): its records per entity type, deletion tombstones for CDC,
// per-type id and document-number counters, and the requestid replay cache. Plain data, so a
// snapshot is a JSON round trip.

import type { EntityName } from './entity-name.js';

// QBO bodies are open-ended JSON; rules read and write them field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Body = Record<string, any>;

export interface QboObject extends Body {
  Id: string;
  SyncToken: string;
  MetaData: { CreateTime: string; LastUpdatedTime: string };
}

export interface StoredRecord {
  object: QboObject;
  /** Exact epoch ms of creation/last write; MetaData shows them to the second. */
  createdAt: number;
  updatedAt: number;
}

export interface Tombstone {
  Id: string;
  deletedAt: number;
  LastUpdatedTime: string;
}

export interface CachedResponse {
  status: number;
  body: unknown;
  at: number;
}

export interface Company {
  realmId: string;
  records: Map<EntityName, Map<string, StoredRecord>>;
  tombstones: Map<EntityName, Map<string, Tombstone>>;
  nextId: Map<EntityName, number>;
  nextDocNumber: Map<EntityName, number>;
  requestIds: Map<string, CachedResponse>;
}

export const createCompany = (realmId: string): Company => ({
  realmId,
  records: new Map(),
  tombstones: new Map(),
  nextId: new Map(),
  nextDocNumber: new Map(),
  requestIds: new Map(),
});

export const recordsOf = (company: Company, entity: EntityName): Map<string, StoredRecord> => {
  let m = company.records.get(entity);
  if (!m) {
    m = new Map();
    company.records.set(entity, m);
  }
  return m;
};

export const tombstonesOf = (company: Company, entity: EntityName): Map<string, Tombstone> => {
  let m = company.tombstones.get(entity);
  if (!m) {
    m = new Map();
    company.tombstones.set(entity, m);
  }
  return m;
};

export const takeId = (company: Company, entity: EntityName): string => {
  const next = company.nextId.get(entity) ?? 1;
  company.nextId.set(entity, next + 1);
  return String(next);
};

export const companyName = (company: Company): string => {
  const info = company.records.get('CompanyInfo')?.get('1');
  return (info?.object.CompanyName as string | undefined) ?? company.realmId;
};

export interface CompanySnapshot {
  realmId: string;
  records: Array<[EntityName, StoredRecord[]]>;
  tombstones: Array<[EntityName, Tombstone[]]>;
  nextId: Array<[EntityName, number]>;
  nextDocNumber: Array<[EntityName, number]>;
  requestIds: Array<[string, CachedResponse]>;
}

export const snapshotCompany = (c: Company): CompanySnapshot => ({
  realmId: c.realmId,
  records: [...c.records].map(([k, m]) => [k, [...m.values()]]),
  tombstones: [...c.tombstones].map(([k, m]) => [k, [...m.values()]]),
  nextId: [...c.nextId],
  nextDocNumber: [...c.nextDocNumber],
  requestIds: [...c.requestIds],
});

export const restoreCompany = (s: CompanySnapshot): Company => ({
  realmId: s.realmId,
  records: new Map(s.records.map(([k, list]) => [k, new Map(list.map((r) => [r.object.Id, r]))])),
  tombstones: new Map(s.tombstones.map(([k, list]) => [k, new Map(list.map((t) => [t.Id, t]))])),
  nextId: new Map(s.nextId),
  nextDocNumber: new Map(s.nextDocNumber),
  requestIds: new Map(s.requestIds),
});
