// Where the next pull starts (moved only when it changes), which bucket a record's events put it in, and
// events of an older shape read in the current one.

import { describe, expect, it } from 'vitest';
import { deciderSpecification } from '../../testing/index.js';
import { type RecordEvent, outcomeOfEvents, pullCursorDecider, upcast } from '../../src/index.js';

const at = '2026-01-01T00:00:00.000Z';
const base = { recordType: 'customer' as const, localId: 'c1', at };

describe('pull cursor', () => {
  const spec = deciderSpecification(pullCursorDecider);
  const move = (cursor: string) => ({ type: 'MovePullCursor' as const, recordType: 'customer' as const, cursor, syncId: 's1', at });
  it('moves to a new cursor, and not to the one it holds', () => {
    spec.given([]).when(move('t1')).thenMatches([{ type: 'PullCursorMoved', data: { cursor: 't1' } }]);
    spec.given([{ type: 'PullCursorMoved', data: { recordType: 'customer', cursor: 't1', syncId: 's0', at } }]).when(move('t1')).thenNothing();
  });
});

describe('record outcomes', () => {
  const linked = (via: 'created' | 'matched' | 'pulled'): RecordEvent => ({ type: 'RecordLinked', data: { ...base, qboId: '1', syncToken: '0', via, syncId: 's', at } });
  const pushed = (operation: 'create' | 'update' | 'deactivate' | 'void'): RecordEvent => ({
    type: 'RecordPushed', data: { ...base, qboId: '1', operation, syncToken: '1', contentHash: 'h', localRevision: 1, requestId: 'r', attempts: 1, foundByLookup: false, remoteContentHash: null, syncId: 's' },
  });
  it('names the bucket of each story', () => {
    expect(outcomeOfEvents([linked('created'), pushed('create')])).toBe('created');
    expect(outcomeOfEvents([linked('matched'), pushed('update')])).toBe('matched');
    expect(outcomeOfEvents([pushed('deactivate')])).toBe('deactivated');
    expect(outcomeOfEvents([pushed('void')])).toBe('voided');
    expect(outcomeOfEvents([linked('pulled')])).toBe('created');
    expect(outcomeOfEvents([{ type: 'RemoteRecordDeleted', data: { ...base, qboId: '1', syncId: 's' } }])).toBe('remote_deleted');
    expect(outcomeOfEvents([])).toBe('skipped');
  });
  it('puts a held conflict in review, and a policy that kept the local side in conflict', () => {
    const detected: RecordEvent = { type: 'RecordConflictDetected', data: { ...base, qboId: '1', policy: 'review', localContentHash: 'h', remoteSyncToken: '2', differences: [], syncId: 's' } };
    const keptLocal: RecordEvent = { type: 'RecordConflictResolved', data: { ...base, qboId: '1', resolution: 'local_wins', resolvedBy: 'policy', syncId: 's' } };
    expect(outcomeOfEvents([detected])).toBe('review');
    expect(outcomeOfEvents([detected, keptLocal])).toBe('conflict');
  });
});

describe('upcasting', () => {
  const metadata = (schemaVersion: number) => ({ tenantId: 't', correlationId: 'run-1', causationId: null, actor: { type: 'system' as const, id: 'w' }, schemaVersion });
  it('gives a version-1 conflict resolution its run (policy) or none (a person), and no QBO id', () => {
    const byPolicy = upcast({ type: 'RecordConflictResolved', data: { ...base, resolution: 'qbo_wins', resolvedBy: 'policy' }, metadata: metadata(1) });
    const byPerson = upcast({ type: 'RecordConflictResolved', data: { ...base, resolution: 'qbo_wins', resolvedBy: 'user:u1' }, metadata: metadata(1) });
    expect(byPolicy.data).toMatchObject({ syncId: 'run-1', qboId: null });
    expect(byPerson.data).toMatchObject({ syncId: null, qboId: null });
  });
  it('gives version-1 run totals a zero in every newer bucket, and leaves current events as they are', () => {
    const old = upcast({ type: 'SyncCompleted', data: { counts: { planned: 1, created: 1, updated: 0, matched: 0, skipped: 0, failed: 0, review: 0 } }, metadata: metadata(1) });
    expect(old.data).toMatchObject({ counts: { planned: 1, created: 1, voided: 0, pulled: 0, remote_deleted: 0, conflict: 0 } });
    const current = { type: 'SyncCompleted', data: { counts: {} }, metadata: metadata(2) };
    expect(upcast(current)).toBe(current);
  });
});
