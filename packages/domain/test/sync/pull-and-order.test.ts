// The pull plan (echo, unchanged, changed, conflict, deleted, match, review, mirror) and dependency order.

import { describe, expect, it } from 'vitest';
import {
  type RecordEvent,
  type RemoteSnapshot,
  recordReferences,
  evolveRecord,
  fieldDiffs,
  initialRecordState,
  matchLookups,
  planPullItem,
  typesInDependencyOrder,
} from '../../src/index.js';

const at = '2026-01-01T00:00:00.000Z';
const remote = (syncToken: string, contentHash: string, record: Record<string, unknown> = { displayName: 'Amy' }, status: RemoteSnapshot['status'] = 'active'): RemoteSnapshot => ({
  qboId: '42', syncToken, status, record, contentHash, remoteUpdatedAt: at,
});
const history: RecordEvent[] = [
  { type: 'LocalRecordUpserted', data: { recordType: 'customer', localId: 'c1', record: { displayName: 'Amy' }, contentHash: 'h1', localRevision: 1, at } },
  { type: 'RecordLinked', data: { recordType: 'customer', localId: 'c1', qboId: '42', syncToken: '0', via: 'created', syncId: 's', at } },
  { type: 'RecordPushed', data: { recordType: 'customer', localId: 'c1', qboId: '42', operation: 'create', syncToken: '0', contentHash: 'h1', localRevision: 1, requestId: 'r', attempts: 1, foundByLookup: false, remoteContentHash: null, syncId: 's', at } },
];
const state = history.reduce(evolveRecord, initialRecordState());
const linked = { localId: 'c1', state };

describe('pull planner', () => {
  it('recognises our own push, an unchanged record, a change, a delete', () => {
    expect(planPullItem({ remote: remote('0', 'h1'), linked }, 'customer', 'review').action).toBe('echo');
    expect(planPullItem({ remote: remote('1', 'h2', { displayName: 'Amy Q' }), linked }, 'customer', 'review')).toMatchObject({
      action: 'changed', localId: 'c1', diffs: [{ field: 'displayName', local: 'Amy', remote: 'Amy Q' }],
    });
    expect(planPullItem({ remote: remote('1', '', {}, 'deleted'), linked }, 'customer', 'review').action).toBe('deleted');
  });

  it('plans a conflict when the local side changed too', () => {
    const changed = evolveRecord(state, { type: 'LocalRecordUpserted', data: { recordType: 'customer', localId: 'c1', record: { displayName: 'Amy B' }, contentHash: 'h3', localRevision: 2, at } });
    expect(planPullItem({ remote: remote('1', 'h2', { displayName: 'Amy Q' }), linked: { localId: 'c1', state: changed } }, 'customer', 'qbo_wins')).toMatchObject({
      action: 'conflict', resolution: 'qbo_wins',
    });
  });

  it('matches an unlinked remote record to a local one, asks when several match, mirrors otherwise', () => {
    const candidates = [{ id: 'local-9', label: 'Amy', record: { displayName: 'amy' } }];
    expect(planPullItem({ remote: remote('0', 'h'), candidates }, 'customer', 'review')).toMatchObject({ action: 'match', localId: 'local-9', rule: 'displayName' });
    expect(planPullItem({ remote: remote('0', 'h'), candidates: [...candidates, { id: 'local-10', label: 'AMY', record: { displayName: 'AMY' } }] }, 'customer', 'review')).toMatchObject({
      action: 'review', candidates: [{ localId: 'local-9' }, { localId: 'local-10' }],
    });
    expect(planPullItem({ remote: remote('0', 'h'), candidates: [] }, 'customer', 'review')).toMatchObject({ action: 'mirror', localId: 'qbo-42' });
    expect(planPullItem({ remote: remote('0', '', {}, 'deleted') }, 'customer', 'review').action).toBe('skip');
  });

  it('gives the lookups a worker runs in QBO, in rule order', () => {
    expect(matchLookups('customer', { displayName: "O'Brien", email: ' bob@x.com' })).toEqual([
      { rule: 'email', qboField: 'PrimaryEmailAddr', value: 'bob@x.com' },
      { rule: 'displayName', qboField: 'DisplayName', value: "O'Brien" },
    ]);
    expect(matchLookups('item', { name: 'Pump', sku: 'T-1' }).map((l) => l.rule)).toEqual(['sku', 'name']);
    expect(matchLookups('payment', { amount: 1 })).toEqual([]);
  });

  it('leaves QBO-computed fields out of diffs', () => {
    expect(fieldDiffs('invoice', { total: 1, lines: [{ unitPrice: 2 }] }, { total: 5, lines: [{ unitPrice: 3 }] })).toEqual([{ field: 'lines.0.unitPrice', local: 2, remote: 3 }]);
  });
});

describe('dependency order', () => {
  it('puts customers and items before invoices, invoices before payments', () => {
    expect(typesInDependencyOrder(['payment', 'invoice', 'customer', 'item'])).toEqual(['customer', 'item', 'invoice', 'payment']);
    expect(typesInDependencyOrder(['payment'])).toEqual(['payment']);
    expect(typesInDependencyOrder(['invoice', 'customer'])).toEqual(['customer', 'invoice']);
  });

  it("names each record's references once; a line with no item references nothing", () => {
    const invoice = { customerLocalId: 'c1', issueDate: '2026-01-01', lines: [{ itemLocalId: 'i1', quantity: 1, unitPrice: 1 }, { itemLocalId: 'i1', quantity: 2, unitPrice: 1 }, { description: 'note', quantity: 0, unitPrice: 0 }], voided: false };
    const payment = { customerLocalId: 'c1', amount: 1, date: '2026-01-01', invoices: [{ invoiceLocalId: 'inv1', amount: 1 }], voided: false };
    expect(recordReferences('invoice', invoice)).toEqual([{ type: 'customer', localId: 'c1' }, { type: 'item', localId: 'i1' }]);
    expect(recordReferences('payment', payment)).toEqual([{ type: 'customer', localId: 'c1' }, { type: 'invoice', localId: 'inv1' }]);
  });
});
