// Given/when/then on the records decider: upserts that change nothing append nothing, links are one to one,
// pushes link creates and are idempotent, pulls skip our own echo, conflicts follow the policy, failures park.

import { describe, expect, it } from 'vitest';
import {
  MAX_RECORD_ATTEMPTS,
  NoOpenConflictError,
  RecordAlreadyLinkedError,
  type RecordCommand,
  type RecordEvent,
  type RecordPushResult,
  RecordNotFoundError,
  RecordNotLinkedError,
  type RemoteSnapshot,
  type SyncError,
  decideRecord,
  evolveRecord,
  initialRecordState,
  needsPush,
  recordSyncStatus,
} from '../../src/index.js';

const at = '2026-01-01T00:00:00.000Z';
const base = { recordType: 'customer' as const, localId: 'c1', at };
const given = (events: readonly RecordEvent[]) => events.reduce(evolveRecord, initialRecordState());
const when = (history: readonly RecordEvent[], command: RecordCommand) => decideRecord(command, given(history));
const then = (history: readonly RecordEvent[], ...commands: RecordCommand[]) =>
  commands.reduce<RecordEvent[]>((events, command) => [...events, ...when(events, command)], [...history]);

const upsert = (contentHash: string, record: Record<string, unknown> = { displayName: contentHash }): RecordCommand => ({ ...base, type: 'UpsertLocalRecord', record, contentHash });
const created = (syncToken = '0', contentHash = 'h1', localRevision = 1, requestId = 'r1'): RecordPushResult => ({
  ...base, type: 'RecordPushResult', qboId: '42', operation: 'create', syncToken, contentHash, localRevision, requestId, attempts: 1, foundByLookup: false, remoteContentHash: null, syncId: 's1',
});
const remote = (syncToken: string, contentHash: string, status: RemoteSnapshot['status'] = 'active'): RemoteSnapshot => ({
  qboId: '42', syncToken, status, record: { displayName: `remote ${contentHash}` }, contentHash, remoteUpdatedAt: at,
});
const pulled = (snapshot: RemoteSnapshot, policy: 'qbo_wins' | 'local_wins' | 'review' = 'review'): RecordCommand => ({
  ...base, type: 'RecordRemoteState', remote: snapshot, policy, differences: [{ field: 'displayName', local: 'a', remote: 'b' }], syncId: 's2',
});
const serverError: SyncError = { kind: 'server', qboCode: '500', message: 'boom', hint: 'retry later', retriable: true, intuitTid: null };

describe('records decider: local changes', () => {
  it('appends the first upsert at revision 1, nothing for the same content, revision 2 for new content', () => {
    const first = when([], upsert('h1'));
    expect(first).toEqual([{ type: 'LocalRecordUpserted', data: { ...base, record: { displayName: 'h1' }, contentHash: 'h1', localRevision: 1 } }]);
    expect(when(first, upsert('h1'))).toEqual([]);
    expect(when(first, upsert('h2'))).toMatchObject([{ type: 'LocalRecordUpserted', data: { contentHash: 'h2', localRevision: 2 } }]);
  });

  it('deletes once, refuses deleting what never existed, and an upsert after a delete brings it back', () => {
    expect(() => when([], { ...base, type: 'DeleteLocalRecord' })).toThrow(RecordNotFoundError);
    const history = then([], upsert('h1'), { ...base, type: 'DeleteLocalRecord' });
    expect(history.at(-1)).toMatchObject({ type: 'LocalRecordDeleted', data: { localRevision: 2 } });
    expect(when(history, { ...base, type: 'DeleteLocalRecord' })).toEqual([]);
    expect(when(history, upsert('h1'))).toMatchObject([{ type: 'LocalRecordUpserted', data: { localRevision: 3 } }]);
  });
});

describe('records decider: links and pushes', () => {
  it('a create links the record and records the push; the same result again appends nothing', () => {
    const history = then([], upsert('h1'), created());
    expect(history.slice(1).map((e) => e.type)).toEqual(['RecordLinked', 'RecordPushed']);
    expect(history[1]).toMatchObject({ data: { qboId: '42', via: 'created', syncToken: '0' } });
    expect(when(history, created())).toEqual([]);
    expect(given(history)).toMatchObject({ syncedHash: 'h1', lastPushedSyncToken: '0', remoteStatus: 'active' });
    expect(recordSyncStatus(given(history))).toBe('synced');
    expect(needsPush(given(history))).toBe(false);
  });

  it('refuses an update of an unlinked record and a link to a second QBO record', () => {
    expect(() => when([], { ...created(), operation: 'update' })).toThrow(RecordNotLinkedError);
    const history = then([], upsert('h1'), created());
    expect(() => when(history, { ...base, type: 'LinkRecord', qboId: '43', syncToken: '0', via: 'matched', syncId: 's1' })).toThrow(RecordAlreadyLinkedError);
    expect(when(history, { ...base, type: 'LinkRecord', qboId: '42', syncToken: '0', via: 'matched', syncId: 's1' })).toEqual([]);
  });

  it('a local change after a push is pending; a delete of a linked active record is pending until deactivated', () => {
    const history = then([], upsert('h1'), created(), upsert('h2'));
    expect(recordSyncStatus(given(history))).toBe('pending');
    const deleted = then(history, { ...base, type: 'DeleteLocalRecord' });
    expect(needsPush(given(deleted))).toBe(true);
    const deactivated = then(deleted, { ...created('1', 'h2', 3, 'r2'), operation: 'deactivate' });
    expect(given(deactivated)).toMatchObject({ remoteStatus: 'inactive', deleted: true });
    expect(needsPush(given(deactivated))).toBe(false);
  });

  it('an unlink (QBO deleted it) raises the generation so the next create gets a new requestid', () => {
    const history = then([], upsert('h1'), created(), { ...base, type: 'RecordRemoteDeletion', qboId: '42', syncId: 's2' });
    expect(given(history).remoteStatus).toBe('deleted');
    const unlinked = then(history, { ...base, type: 'UnlinkRecord', reason: 'deleted in QuickBooks; operator chose to create it again' });
    expect(given(unlinked)).toMatchObject({ link: null, generation: 1, syncedHash: null });
    expect(needsPush(given(unlinked))).toBe(true);
  });
});

describe('records decider: pulls and conflicts', () => {
  const synced = then([], upsert('h1'), created('0'));

  it('skips the echo of our own push and a read of what we already hold', () => {
    expect(when(synced, pulled(remote('0', 'h1')))).toEqual([]);
    const pushedAgain = then(synced, upsert('h2'), { ...created('1', 'h2', 2, 'r2'), operation: 'update' });
    expect(when(pushedAgain, pulled(remote('1', 'h2')))).toEqual([]);
  });

  it('takes a remote change when the local side did not change', () => {
    const events = when(synced, pulled(remote('1', 'h9')));
    expect(events).toEqual([
      { type: 'RemoteRecordChanged', data: { ...base, qboId: '42', syncToken: '1', status: 'active', record: { displayName: 'remote h9' }, contentHash: 'h9', remoteUpdatedAt: at, syncId: 's2' } },
    ]);
    expect(given([...synced, ...events])).toMatchObject({ contentHash: 'h9', syncedHash: 'h9', link: { syncToken: '1' } });
  });

  it('holds a conflict for review when both sides changed, once per remote version', () => {
    const history = then(synced, upsert('h2'));
    const events = when(history, pulled(remote('1', 'h9'), 'review'));
    expect(events.map((e) => e.type)).toEqual(['RecordConflictDetected']);
    expect(events[0]).toMatchObject({ data: { policy: 'review', localContentHash: 'h2', remoteSyncToken: '1', remote: { contentHash: 'h9' } } });
    const held = [...history, ...events];
    expect(recordSyncStatus(given(held))).toBe('conflict');
    expect(when(held, pulled(remote('1', 'h9'), 'review'))).toEqual([]);
    // A person picks QBO: its record is applied from the snapshot.
    const resolved = when(held, { ...base, type: 'ResolveConflict', resolution: 'qbo_wins', resolvedBy: 'user-1', syncId: 's3' });
    expect(resolved.map((e) => e.type)).toEqual(['RecordConflictResolved', 'RemoteRecordChanged']);
    expect(given([...held, ...resolved])).toMatchObject({ contentHash: 'h9', conflict: null });
    expect(() => when([...held, ...resolved], { ...base, type: 'ResolveConflict', resolution: 'qbo_wins', resolvedBy: 'u', syncId: 's3' })).toThrow(NoOpenConflictError);
  });

  it('qbo_wins applies the remote record at once; local_wins keeps local content and pushes over the remote token', () => {
    const history = then(synced, upsert('h2'));
    const qbo = when(history, pulled(remote('1', 'h9'), 'qbo_wins'));
    expect(qbo.map((e) => e.type)).toEqual(['RecordConflictDetected', 'RecordConflictResolved', 'RemoteRecordChanged']);
    expect(given([...history, ...qbo])).toMatchObject({ contentHash: 'h9', syncedHash: 'h9' });
    const local = when(history, pulled(remote('1', 'h9'), 'local_wins'));
    expect(local.map((e) => e.type)).toEqual(['RecordConflictDetected', 'RecordConflictResolved']);
    const after = given([...history, ...local]);
    expect(after).toMatchObject({ contentHash: 'h2', syncedHash: 'h1', link: { syncToken: '1' }, conflict: null });
    expect(needsPush(after)).toBe(true);
  });

  it('is no conflict when both sides arrived at the same content', () => {
    const history = then(synced, upsert('h9'));
    expect(when(history, pulled(remote('1', 'h9'))).map((e) => e.type)).toEqual(['RemoteRecordChanged']);
  });

  it('keeps void, inactive and deleted distinct', () => {
    expect(given(then(synced, pulled(remote('1', 'h1', 'voided')))).remoteStatus).toBe('voided');
    expect(given(then(synced, pulled(remote('1', 'h1', 'inactive')))).remoteStatus).toBe('inactive');
    expect(when(synced, pulled(remote('1', 'h1', 'deleted')))).toMatchObject([{ type: 'RemoteRecordDeleted' }]);
  });

  it('mirrors a record first seen in QBO: link via pulled, then the remote record becomes the local one', () => {
    const mirror = then([], { ...base, type: 'LinkRecord', qboId: '42', syncToken: '3', via: 'pulled', syncId: 's2' }, pulled(remote('3', 'h7')));
    expect(mirror.map((e) => e.type)).toEqual(['RecordLinked', 'RemoteRecordChanged']);
    expect(given(mirror)).toMatchObject({ exists: true, contentHash: 'h7', syncedHash: 'h7' });
    expect(recordSyncStatus(given(mirror))).toBe('synced');
  });
});

describe('records decider: failures and review', () => {
  it('parks a retriable failure after the last attempt, and a non-retriable one at once', () => {
    const history = then([], upsert('h1'));
    const fail = (attempt: number, error = serverError): RecordCommand => ({ ...base, type: 'RecordFailure', direction: 'push', error, attempt, syncId: 's1' });
    expect(when(history, fail(1))).toMatchObject([{ data: { parked: false, attempt: 1 } }]);
    expect(when(history, fail(MAX_RECORD_ATTEMPTS))).toMatchObject([{ data: { parked: true } }]);
    expect(when(history, fail(1, { ...serverError, kind: 'validation', retriable: false }))).toMatchObject([{ data: { parked: true } }]);
    const parked = then(history, fail(MAX_RECORD_ATTEMPTS));
    expect(recordSyncStatus(given(parked))).toBe('failed');
    expect(given(then(parked, created())).parked).toBe(false);
  });

  it('records an ambiguous match once and clears it when a person links a candidate', () => {
    const ambiguous: RecordCommand = { ...base, type: 'RecordAmbiguousMatch', rule: 'email', candidates: [{ qboId: '1', label: 'A' }, { qboId: '2', label: 'B' }], syncId: 's1' };
    const history = then([], upsert('h1'), ambiguous);
    expect(recordSyncStatus(given(history))).toBe('review');
    expect(when(history, { ...ambiguous, candidates: [{ qboId: '2', label: 'B' }, { qboId: '1', label: 'A' }] })).toEqual([]);
    const linked = then(history, { ...base, type: 'LinkRecord', qboId: '2', syncToken: '5', via: 'review', syncId: null });
    expect(given(linked).review).toBeNull();
    expect(recordSyncStatus(given(linked))).toBe('pending');
  });
});
