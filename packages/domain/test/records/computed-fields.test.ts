// Fields QBO computes (an invoice's balance) are never a change a person must decide: with a host edit
// waiting, QBO's new version is taken and the edit stays for the next push; with none, QBO's version becomes
// the record; only a change of owned content on both sides is a conflict.

import { describe, expect, it } from 'vitest';
import { deciderSpecification } from '../../testing/index.js';
import { type RecordEvent, type RemoteSnapshot, needsPush, ownedContent, planPullItem, planPushItem, recordDecider } from '../../src/index.js';

const at = '2026-01-01T00:00:00.000Z';
const base = { recordType: 'invoice' as const, localId: 'inv-1', at };
const spec = deciderSpecification(recordDecider);
const owned = { number: 'INV-1', customerLocalId: 'c1', issueDate: '2026-01-01', lines: [{ quantity: 1, unitPrice: 100 }], voided: false };
const synced: RecordEvent[] = [
  { type: 'LocalRecordUpserted', data: { ...base, record: owned, contentHash: 'owned-1', localRevision: 1 } },
  { type: 'RecordLinked', data: { ...base, qboId: '42', syncToken: '0', via: 'created', syncId: 's1' } },
  { type: 'RecordPushed', data: { ...base, qboId: '42', operation: 'create', syncToken: '0', contentHash: 'owned-1', localRevision: 1, requestId: 'r', attempts: 1, foundByLookup: false, remoteContentHash: null, syncId: 's1' } },
];
const hostEdit: RecordEvent = { type: 'LocalRecordUpserted', data: { ...base, record: { ...owned, memo: 'host' }, contentHash: 'owned-2', localRevision: 2 } };
const paid = (contentHash: string): RemoteSnapshot => ({
  qboId: '42', syncToken: '1', status: 'active', record: { ...owned, total: 100, balance: 40, paymentStatus: 'partial' }, contentHash, remoteUpdatedAt: at,
});
const seen = (snapshot: RemoteSnapshot, policy: 'qbo_wins' | 'local_wins' | 'review') => ({ ...base, type: 'RecordRemoteState' as const, remote: snapshot, policy, differences: [], syncId: 's2' });

describe('fields QBO computes', () => {
  for (const policy of ['qbo_wins', 'local_wins', 'review'] as const) {
    it(`keep a host edit of a paid invoice pending under ${policy}, with QBO's new version and balance`, () => {
      const when = spec.given([...synced, hostEdit]).when(seen(paid('owned-1'), policy));
      when.thenMatches([{ type: 'RemoteRecordVersionSeen', data: { qboId: '42', syncToken: '1', computed: { total: 100, balance: 40, paymentStatus: 'partial' } } }]);
      const state = when.thenState();
      expect(state.record).toMatchObject({ memo: 'host', balance: 40 });
      expect(state.link?.syncToken).toBe('1');
      expect(state.conflict).toBeNull();
      expect(needsPush(state)).toBe(true);
    });
  }

  it('apply to the record when the host changed nothing', () => {
    spec.given(synced).when(seen(paid('owned-1'), 'review')).thenMatches([{ type: 'RemoteRecordChanged', data: { syncToken: '1', record: { balance: 40 } } }]);
  });

  it('leave a change of owned content on both sides a conflict', () => {
    spec.given([...synced, hostEdit]).when(seen(paid('owned-3'), 'review')).thenMatches([{ type: 'RecordConflictDetected' }]);
  });

  it('are left out of the owned content, and the pull plans a computed-only change as refreshed', () => {
    expect(ownedContent('invoice', { ...owned, total: 1, balance: 1, paymentStatus: 'paid' })).toEqual(owned);
    const state = [...synced, hostEdit].reduce(recordDecider.evolve, recordDecider.initialState());
    expect(planPullItem({ remote: paid('owned-1'), linked: { localId: 'inv-1', state } }, 'invoice', 'qbo_wins')).toMatchObject({ action: 'refreshed' });
    expect(planPullItem({ remote: paid('owned-3'), linked: { localId: 'inv-1', state } }, 'invoice', 'qbo_wins')).toMatchObject({ action: 'conflict' });
  });
});

describe('a host delete QBO will refuse', () => {
  const deleted: RecordEvent = { type: 'LocalRecordDeleted', data: { ...base, localRevision: 2 } };
  it('fails the record at once, with what to do, when a pull shows the invoice paid', () => {
    const when = spec.given([...synced, deleted]).when(seen(paid('owned-1'), 'review'));
    when.thenMatches([{ type: 'RecordSyncFailed', data: { direction: 'push', parked: true, error: { kind: 'business_rule' } } }, { type: 'RemoteRecordVersionSeen' }]);
    const state = when.thenState();
    expect(state.deleted).toBe(true);
    expect(state.parked).toBe(true);
  });

  it('is not voided by a push: the plan is blocked with the reason', () => {
    const state = [...synced, deleted, { type: 'RemoteRecordVersionSeen', data: { ...base, qboId: '42', syncToken: '1', status: 'active', computed: { paymentStatus: 'paid', balance: 0, total: 100 }, remoteUpdatedAt: at, syncId: 's2' } } as RecordEvent].reduce(
      recordDecider.evolve,
      recordDecider.initialState(),
    );
    expect(planPushItem({ localId: 'inv-1', state }, { tenantId: 't', recordType: 'invoice', policy: 'review', includeParked: true })).toMatchObject({ action: 'blocked', write: null, error: { kind: 'business_rule' } });
  });
});
