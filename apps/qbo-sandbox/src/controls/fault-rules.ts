// Chaos on demand: rules matched by realm, path, entity and operation that add latency, answer
// 500/503/429, drop the connection after the write committed, or force a stale SyncToken (5010); each
// on every match, or on a seeded share of them (`probability`).

import { seededChance } from '../faults/seeded-chance.js';

export type FaultAction = 'latency' | 'error' | 'throttle' | 'drop' | 'stale';

export type ApiOperation = 'create' | 'read' | 'update' | 'delete' | 'void' | 'query' | 'batch' | 'cdc';

export interface FaultRule {
  id: string;
  action: FaultAction;
  realmId?: string;
  /** Substring of the path after /v3/company/{realm} (e.g. "/invoice"). */
  path?: string;
  entity?: string;
  operation?: ApiOperation;
  method?: string;
  latencyMs?: number;
  /** For action "error". */
  status?: 500 | 503;
  /** How many matching requests it applies to; absent = until removed. */
  times?: number;
  /** Matching requests it lets through before it starts applying. */
  skip?: number;
  /** Fires on this share (0..1) of the matching requests, drawn from `seed`: the same requests in every run. */
  probability?: number;
  /** Seed of the draw (default 1). */
  seed?: number;
  hits: number;
}

export interface RequestFacts {
  realmId: string;
  path: string;
  method: string;
  entity?: string;
  operation?: ApiOperation;
}

export interface FaultRuleBook {
  add(rule: Omit<FaultRule, 'id' | 'hits'>): FaultRule;
  remove(id: string): boolean;
  list(): FaultRule[];
  clear(): void;
  /** The rules that fire for this request (each counts the hit). */
  take(facts: RequestFacts): FaultRule[];
}

export const FAULT_ACTIONS: readonly FaultAction[] = ['latency', 'error', 'throttle', 'drop', 'stale'];
export const API_OPERATIONS: readonly ApiOperation[] = ['create', 'read', 'update', 'delete', 'void', 'query', 'batch', 'cdc'];

export const createFaultRuleBook = (): FaultRuleBook => {
  let rules: FaultRule[] = [];
  let counter = 0;
  const seen = new Map<string, number>();
  const chances = new Map<string, () => number>();
  const applies = (r: FaultRule, f: RequestFacts) =>
    (!r.realmId || r.realmId === f.realmId) &&
    (!r.path || f.path.toLowerCase().includes(r.path.toLowerCase())) &&
    (!r.entity || r.entity.toLowerCase() === f.entity?.toLowerCase()) &&
    (!r.operation || r.operation === f.operation) &&
    (!r.method || r.method.toUpperCase() === f.method.toUpperCase());
  return {
    add(rule) {
      const r: FaultRule = { ...rule, id: `rule-${++counter}`, hits: 0 };
      if (r.probability !== undefined) chances.set(r.id, seededChance(r.seed ?? 1));
      rules.push(r);
      return r;
    },
    remove(id) {
      const before = rules.length;
      rules = rules.filter((r) => r.id !== id);
      return rules.length !== before;
    },
    list: () => rules.map((r) => ({ ...r })),
    clear() {
      rules = [];
      seen.clear();
      chances.clear();
    },
    take(facts) {
      const fired: FaultRule[] = [];
      for (const r of rules) {
        if (!applies(r, facts)) continue;
        const n = (seen.get(r.id) ?? 0) + 1;
        seen.set(r.id, n);
        if (n <= (r.skip ?? 0)) continue;
        if (r.times !== undefined && r.hits >= r.times) continue;
        const chance = chances.get(r.id);
        if (chance !== undefined && chance() >= (r.probability ?? 1)) continue;
        r.hits += 1;
        fired.push(r);
      }
      return fired;
    },
  };
};
