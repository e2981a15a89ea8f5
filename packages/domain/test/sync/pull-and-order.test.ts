// The pull plan (echo, unchanged, changed, conflict, deleted, match, review, mirror), dependency order, and
// the run's stream decider.

import { describe, expect, it } from 'vitest';
import {
  IllegalSyncTransitionError,
  type RecordEvent,
  type RemoteSnapshot,
  type SyncCommand,
  type SyncEvent,
  decideSync,
  dependencyPushes,
  evolveRecord,
  evolveSync,
  fieldDiffs,
  initialRecordState,
  initialSyncRunState,
  isFinished,
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
  { type: 'RecordPushed', data: { recordType: 'customer', localId: 'c1', qboId: '42', operation: 'create', syncToken: '0', contentHash: 'h1', localRevision: 1, requestId: 'r', syncId: 's', at } },
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
  });

  it('finds the unlinked records to push first, transitively', () => {
    const invoice = { customerLocalId: 'c1', issueDate: '2026-01-01', lines: [{ itemLocalId: 'i1', quantity: 1, unitPrice: 1 }, { itemLocalId: 'i2', quantity: 1, unitPrice: 1 }], voided: false };
    const payment = { customerLocalId: 'c1', amount: 1, date: '2026-01-01', invoices: [{ invoiceLocalId: 'inv1', amount: 1 }], voided: false };
    const linkedRefs = new Set(['item:i2']);
    const plan = dependencyPushes(
      [{ type: 'payment', record: payment }],
      (ref) => linkedRefs.has(`${ref.type}:${ref.localId}`),
      (ref) => (ref.type === 'invoice' && ref.localId === 'inv1' ? invoice : null),
    );
    expect(plan).toEqual([
      { type: 'customer', localIds: ['c1'] },
      { type: 'item', localIds: ['i1'] },
      { type: 'invoice', localIds: ['inv1'] },
    ]);
  });
});

describe('sync run decider', () => {
  const request: SyncCommand = {
    type: 'RequestSync', syncId: 's1', tenantId: 't1', recordType: 'customer', direction: 'push', scope: { kind: 'changed' }, dryRun: false, retryOf: null, requestedBy: 'u1', at,
  };
  const run = (commands: readonly SyncCommand[]) =>
    commands.reduce<SyncEvent[]>((events, command) => [...events, ...decideSync(command, events.reduce(evolveSync, initialSyncRunState()))], []);
  const counts = { planned: 2, created: 1, updated: 0, matched: 0, skipped: 0, failed: 1, review: 0 };

  it('goes requested → started → completed_with_failures when a record failed', () => {
    const events = run([request, { type: 'StartSync', workerId: 'w1', at }, { type: 'CompleteSync', counts, cursor: null, plan: null, at }]);
    expect(events.map((e) => e.type)).toEqual(['SyncRequested', 'SyncStarted', 'SyncCompleted']);
    expect(events[2]).toMatchObject({ data: { outcome: 'completed_with_failures' } });
    const state = events.reduce(evolveSync, initialSyncRunState());
    expect(isFinished(state)).toBe(true);
    expect(() => decideSync({ type: 'StartSync', workerId: 'w2', at }, state)).toThrow(IllegalSyncTransitionError);
  });

  it('resumes a run a crashed worker left running, and refuses completing one never started', () => {
    const events = run([request, { type: 'StartSync', workerId: 'w1', at }, { type: 'StartSync', workerId: 'w2', at }]);
    expect(events.reduce(evolveSync, initialSyncRunState())).toMatchObject({ status: 'running', starts: 2 });
    expect(() => run([request, { type: 'CompleteSync', counts: { ...counts, failed: 0 }, cursor: null, plan: null, at }])).toThrow(/requested; it cannot take CompleteSync/);
    expect(run([request, { type: 'StartSync', workerId: 'w1', at }, { type: 'CompleteSync', counts: { ...counts, failed: 0 }, cursor: 'c', plan: null, at }]).at(-1)).toMatchObject({
      data: { outcome: 'completed', cursor: 'c' },
    });
  });

  it('takes a repeated request once, cancels only unfinished runs', () => {
    expect(run([request, request]).length).toBe(1);
    expect(run([request, { type: 'CancelSync', cancelledBy: 'u1', at }]).at(-1)?.type).toBe('SyncCancelled');
    expect(() => run([request, { type: 'CancelSync', cancelledBy: 'u1', at }, { type: 'CancelSync', cancelledBy: 'u1', at }])).toThrow(IllegalSyncTransitionError);
  });
});
