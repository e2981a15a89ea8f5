// The push plan: create, match, review, update, skip, conflict, deactivate and void, each for its reason,
// with field diffs and the requestid components of every write.

import { describe, expect, it } from 'vitest';
import {
  type PushPlanOptions,
  type RecordEvent,
  type RecordState,
  type RemoteSnapshot,
  countPlan,
  evolveRecord,
  initialRecordState,
  planPush,
  planPushItem,
} from '../../src/index.js';

const at = '2026-01-01T00:00:00.000Z';
const options: PushPlanOptions = { tenantId: 't1', recordType: 'customer', policy: 'review' };
const stateOf = (events: readonly RecordEvent[]): RecordState => events.reduce(evolveRecord, initialRecordState());
const upserted = (record: Record<string, unknown>, contentHash: string, localRevision = 1): RecordEvent => ({
  type: 'LocalRecordUpserted', data: { recordType: 'customer', localId: 'c1', record, contentHash, localRevision, at },
});
const linked = (syncToken = '0'): RecordEvent => ({ type: 'RecordLinked', data: { recordType: 'customer', localId: 'c1', qboId: '42', syncToken, via: 'created', syncId: 's0', at } });
const pushed = (contentHash: string, syncToken = '0'): RecordEvent => ({
  type: 'RecordPushed', data: { recordType: 'customer', localId: 'c1', qboId: '42', operation: 'create', syncToken, contentHash, localRevision: 1, requestId: 'r', attempts: 1, foundByLookup: false, remoteContentHash: null, syncId: 's0', at },
});
const amy = { displayName: 'Amy', email: 'amy@example.com', active: true };
const snapshot = (syncToken: string, record: Record<string, unknown>, contentHash: string): RemoteSnapshot => ({ qboId: '42', syncToken, status: 'active', record, contentHash, remoteUpdatedAt: at });

describe('push planner', () => {
  it('creates an unlinked record that matches nothing, with its write identity and every field as a diff', () => {
    const plan = planPushItem({ localId: 'c1', state: stateOf([upserted(amy, 'h1')]), candidates: [] }, options);
    expect(plan).toMatchObject({
      action: 'create',
      write: { tenantId: 't1', recordType: 'customer', localId: 'c1', localRevision: 1, generation: 0, operation: 'create' },
    });
    expect(plan.diffs).toEqual([
      { field: 'active', local: true, remote: null },
      { field: 'displayName', local: 'Amy', remote: null },
      { field: 'email', local: 'amy@example.com', remote: null },
    ]);
  });

  it('matches by email before display name, case-insensitively, and says whether an update follows', () => {
    const candidates = [
      { id: '7', label: 'Amy L', record: { displayName: 'Amy L', email: 'AMY@example.com ', active: true } },
      { id: '8', label: 'Amy', record: { displayName: 'amy', active: true } },
    ];
    const plan = planPushItem({ localId: 'c1', state: stateOf([upserted(amy, 'h1')]), candidates }, options);
    expect(plan).toMatchObject({ action: 'match', qboId: '7', rule: 'email', thenUpdate: true, write: null });
    expect(plan.diffs.map((d) => d.field)).toEqual(['displayName', 'email']);
  });

  it('needs no update after a match when QBO only filled in what the host left out (its home currency)', () => {
    const candidates = [{ id: '9', label: 'Amy', record: { displayName: 'Amy', email: 'amy@example.com', active: true, currency: 'USD' } }];
    const plan = planPushItem({ localId: 'c1', state: stateOf([upserted(amy, 'h1')]), candidates }, options);
    expect(plan).toMatchObject({ action: 'match', qboId: '9', thenUpdate: false, write: null });
    expect(plan.diffs).toEqual([{ field: 'currency', local: null, remote: 'USD' }]);
  });

  it('sends several candidates to review, never a guess', () => {
    const candidates = [
      { id: '7', label: 'Amy (1)', record: { displayName: 'Amy' } },
      { id: '8', label: 'Amy (2)', record: { displayName: 'AMY' } },
    ];
    const plan = planPushItem({ localId: 'c1', state: stateOf([upserted({ displayName: 'Amy' }, 'h1')]), candidates }, options);
    expect(plan).toMatchObject({ action: 'review', rule: 'displayName', candidates: [{ qboId: '7', label: 'Amy (1)' }, { qboId: '8', label: 'Amy (2)' }], write: null });
  });

  it('skips what did not change since the last push, and updates what did', () => {
    const synced = [upserted(amy, 'h1'), linked(), pushed('h1')];
    expect(planPushItem({ localId: 'c1', state: stateOf(synced) }, options)).toMatchObject({ action: 'skip', reason: 'unchanged since the last sync' });
    const changed = [...synced, upserted({ ...amy, displayName: 'Amy B' }, 'h2', 2)];
    expect(planPushItem({ localId: 'c1', state: stateOf(changed), remote: snapshot('0', amy, 'h1') }, options)).toMatchObject({
      action: 'update',
      qboId: '42',
      write: { operation: 'update', localRevision: 2 },
      diffs: [{ field: 'displayName', local: 'Amy B', remote: 'Amy' }],
    });
  });

  it('plans a conflict when QBO moved too, settled by the policy', () => {
    const changed = [upserted(amy, 'h1'), linked(), pushed('h1'), upserted({ ...amy, displayName: 'Amy B' }, 'h2', 2)];
    const remote = snapshot('3', { ...amy, displayName: 'Amy Q' }, 'h9');
    expect(planPushItem({ localId: 'c1', state: stateOf(changed), remote }, options)).toMatchObject({ action: 'conflict', resolution: 'review', write: null });
    expect(planPushItem({ localId: 'c1', state: stateOf(changed), remote }, { ...options, policy: 'local_wins' })).toMatchObject({
      action: 'conflict', resolution: 'local_wins', write: { operation: 'update' },
    });
    // QBO's version moved only by our own push: no conflict.
    expect(planPushItem({ localId: 'c1', state: stateOf(changed), remote: snapshot('0', amy, 'h1') }, options).action).toBe('update');
  });

  it('deactivates a deleted customer and voids a deleted invoice; skips a delete that never reached QBO', () => {
    const deleted: RecordEvent = { type: 'LocalRecordDeleted', data: { recordType: 'customer', localId: 'c1', localRevision: 2, at } };
    expect(planPushItem({ localId: 'c1', state: stateOf([upserted(amy, 'h1'), linked(), pushed('h1'), deleted]) }, options)).toMatchObject({
      action: 'deactivate', write: { operation: 'deactivate', localRevision: 2 },
    });
    expect(planPushItem({ localId: 'c1', state: stateOf([upserted(amy, 'h1'), linked(), pushed('h1'), deleted]) }, { ...options, recordType: 'invoice' })).toMatchObject({ action: 'void' });
    expect(planPushItem({ localId: 'c1', state: stateOf([upserted(amy, 'h1'), deleted]) }, options).action).toBe('skip');
  });

  it('never writes over a record QBO deleted, skips parked records unless retrying, holds open conflicts', () => {
    const gone: RecordEvent = { type: 'RemoteRecordDeleted', data: { recordType: 'customer', localId: 'c1', qboId: '42', syncId: 's1', at } };
    const history = [upserted(amy, 'h1'), linked(), pushed('h1'), gone, upserted({ ...amy, active: false }, 'h2', 2)];
    expect(planPushItem({ localId: 'c1', state: stateOf(history) }, options)).toMatchObject({ action: 'review', reason: expect.stringMatching(/deleted in QuickBooks/) });
    const parked: RecordEvent = {
      type: 'RecordSyncFailed',
      data: { recordType: 'customer', localId: 'c1', direction: 'push', error: { kind: 'validation', qboCode: '2020', message: 'x', hint: 'y', retriable: false, intuitTid: null }, attempt: 1, parked: true, syncId: 's1', at },
    };
    const failed = [upserted(amy, 'h1'), parked];
    expect(planPushItem({ localId: 'c1', state: stateOf(failed), candidates: [] }, options).action).toBe('skip');
    expect(planPushItem({ localId: 'c1', state: stateOf(failed), candidates: [] }, { ...options, includeParked: true }).action).toBe('create');
  });

  it('counts a plan by action', () => {
    const plan = planPush(
      [
        { localId: 'a', state: stateOf([upserted(amy, 'h1')]), candidates: [] },
        { localId: 'b', state: stateOf([upserted({ displayName: 'B' }, 'h2')]), candidates: [] },
        { localId: 'c', state: initialRecordState() },
      ],
      options,
    );
    expect(countPlan(plan)).toEqual({ create: 2, skip: 1 });
  });
});
