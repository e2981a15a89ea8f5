// The decider of one record's stream, `record-{tenant}.{type}.{localId}`: which events a command causes,
// given the state folded from the record's history. The state is everything a planner needs to know about
// the record: its content, its link to QBO, what both sides last agreed on, and what is open or failed.

import type { SyncError } from '../sync/sync-error.js';
import {
  type RecordCommand,
  MAX_RECORD_ATTEMPTS,
} from './record-commands.js';
import { NoOpenConflictError, RecordAlreadyLinkedError, RecordNotFoundError, RecordNotLinkedError } from './record-errors.js';
import { computedContent } from './computed-fields.js';
import { voidBlocker } from './void-rules.js';
import type { ConflictPolicy, LinkedVia, RecordEvent, RemoteSnapshot, RemoteStatus } from './record-events.js';

export interface RecordLink {
  readonly qboId: string;
  /** The last SyncToken this service knows of: from a push, a pull, or a conflict read. */
  readonly syncToken: string;
  readonly via: LinkedVia;
}

export interface OpenConflict {
  readonly policy: ConflictPolicy;
  readonly localContentHash: string;
  readonly remoteSyncToken: string;
  readonly differences: readonly { readonly field: string; readonly local: unknown; readonly remote: unknown }[];
  readonly remote: RemoteSnapshot | null;
}

export interface OpenReview {
  readonly rule: string;
  readonly candidates: readonly { readonly qboId: string; readonly label: string }[];
}

export interface RecordState {
  /** The host sent it, or a pull mirrored it. */
  readonly exists: boolean;
  readonly record: Record<string, unknown> | null;
  readonly contentHash: string | null;
  /** Goes up with every host change (upsert or delete); part of every push's requestid. */
  readonly localRevision: number;
  readonly deleted: boolean;
  readonly link: RecordLink | null;
  /** Goes up with every unlink, so a create after QBO deleted the record never replays the old requestid. */
  readonly generation: number;
  /** The content hash both sides last agreed on (pushed or pulled); null when they never did. */
  readonly syncedHash: string | null;
  /**
   * QBO's side of that agreement: the hash of QBO's canonical form when they last agreed (it may differ from
   * syncedHash, QBO filling in what the host left out). null: unknown (a version-1 push), compare syncedHash.
   */
  readonly syncedRemoteHash: string | null;
  /** The SyncToken QBO returned to our last write: a pull that sees it is our own echo. */
  readonly lastPushedSyncToken: string | null;
  readonly lastPushRequestId: string | null;
  readonly remoteStatus: RemoteStatus | null;
  readonly conflict: OpenConflict | null;
  readonly review: OpenReview | null;
  /** Failed attempts since the last success, and whether the record is parked in the failed list. */
  readonly failures: number;
  readonly parked: boolean;
  readonly lastError: SyncError | null;
}

export const initialRecordState = (): RecordState => ({
  exists: false,
  record: null,
  contentHash: null,
  localRevision: 0,
  deleted: false,
  link: null,
  generation: 0,
  syncedHash: null,
  syncedRemoteHash: null,
  lastPushedSyncToken: null,
  lastPushRequestId: null,
  remoteStatus: null,
  conflict: null,
  review: null,
  failures: 0,
  parked: false,
  lastError: null,
});

const requireLinkTo = (state: RecordState, command: { recordType: string; localId: string }, qboId: string): RecordLink => {
  if (state.link === null) throw new RecordNotLinkedError(command.recordType, command.localId);
  if (state.link.qboId !== qboId) throw new RecordAlreadyLinkedError(command.recordType, command.localId, state.link.qboId, qboId);
  return state.link;
};

const remoteChanged = (
  command: { recordType: RecordEvent['data']['recordType']; localId: string; at: string },
  remote: RemoteSnapshot,
  syncId: string | null,
): RecordEvent => ({
  type: 'RemoteRecordChanged',
  data: {
    recordType: command.recordType,
    localId: command.localId,
    qboId: remote.qboId,
    syncToken: remote.syncToken,
    status: remote.status,
    record: remote.record,
    contentHash: remote.contentHash,
    remoteUpdatedAt: remote.remoteUpdatedAt,
    syncId,
    at: command.at,
  },
});

export const decideRecord = (command: RecordCommand, state: RecordState): RecordEvent[] => {
  const { recordType, localId, at } = command;
  switch (command.type) {
    case 'UpsertLocalRecord': {
      if (state.exists && !state.deleted && state.contentHash === command.contentHash) return [];
      return [
        {
          type: 'LocalRecordUpserted',
          data: { recordType, localId, record: command.record, contentHash: command.contentHash, localRevision: state.localRevision + 1, at },
        },
      ];
    }
    case 'DeleteLocalRecord': {
      if (!state.exists) throw new RecordNotFoundError(recordType, localId);
      if (state.deleted) return [];
      return [{ type: 'LocalRecordDeleted', data: { recordType, localId, localRevision: state.localRevision + 1, at } }];
    }
    case 'LinkRecord': {
      if (state.link !== null) {
        if (state.link.qboId === command.qboId) return [];
        throw new RecordAlreadyLinkedError(recordType, localId, state.link.qboId, command.qboId);
      }
      return [{ type: 'RecordLinked', data: { recordType, localId, qboId: command.qboId, syncToken: command.syncToken, via: command.via, syncId: command.syncId, at } }];
    }
    case 'UnlinkRecord': {
      if (state.link === null) throw new RecordNotLinkedError(recordType, localId);
      return [{ type: 'RecordUnlinked', data: { recordType, localId, qboId: state.link.qboId, reason: command.reason, at } }];
    }
    case 'RecordPushResult': {
      // The same write reported twice (a retried job) is already recorded.
      if (state.lastPushRequestId === command.requestId && state.lastPushedSyncToken === command.syncToken) return [];
      const events: RecordEvent[] = [];
      if (state.link === null) {
        if (command.operation !== 'create') throw new RecordNotLinkedError(recordType, localId);
        events.push({
          type: 'RecordLinked',
          data: { recordType, localId, qboId: command.qboId, syncToken: command.syncToken, via: 'created', syncId: command.syncId, at },
        });
      } else {
        requireLinkTo(state, command, command.qboId);
      }
      events.push({
        type: 'RecordPushed',
        data: {
          recordType,
          localId,
          qboId: command.qboId,
          operation: command.operation,
          syncToken: command.syncToken,
          contentHash: command.contentHash,
          localRevision: command.localRevision,
          requestId: command.requestId,
          attempts: command.attempts,
          foundByLookup: command.foundByLookup,
          remoteContentHash: command.remoteContentHash,
          syncId: command.syncId,
          at,
        },
      });
      return events;
    }
    case 'RecordRemoteState': {
      const { remote, policy, syncId } = command;
      const link = requireLinkTo(state, command, remote.qboId);
      // Our own write coming back, or a read of what we already hold: nothing new.
      if (remote.syncToken === state.lastPushedSyncToken) return [];
      if (remote.status === 'deleted') {
        return state.remoteStatus === 'deleted' ? [] : [{ type: 'RemoteRecordDeleted', data: { recordType, localId, qboId: remote.qboId, syncId, at } }];
      }
      const remoteMoved = remote.syncToken !== link.syncToken || remote.status !== state.remoteStatus;
      // What QBO held when the two sides last agreed, in QBO's own canonical form.
      const agreedRemote = state.syncedRemoteHash ?? state.syncedHash;
      if (!remoteMoved && remote.contentHash === agreedRemote) return [];
      // A host delete not carried out yet is a local change too (QBO must hear of it).
      const deletionPending = state.deleted && state.remoteStatus === 'active';
      const localChanged = state.exists && (state.contentHash !== state.syncedHash || deletionPending);
      // Nothing here that QBO lacks, or QBO already holds it (the content, or the deletion: voided or
      // inactive there): QBO's version becomes the record.
      if (!localChanged || (deletionPending ? remote.status !== 'active' : remote.contentHash === state.contentHash)) return [remoteChanged(command, remote, syncId)];
      // A local edit waits for the next push. QBO did not move: nothing new. QBO moved only what it computes
      // (a payment changed an invoice's balance): take its version and its computed fields, keep the edit.
      if (!remoteMoved) return [];
      if (remote.contentHash === agreedRemote) {
        // A host delete QBO will refuse to carry out (a paid invoice): said now, with what to do.
        const blocked = deletionPending || state.record?.['voided'] === true ? voidBlocker(recordType, remote.record) : null;
        return [
          ...(blocked === null ? [] : [{ type: 'RecordSyncFailed' as const, data: { recordType, localId, direction: 'push' as const, error: blocked, attempt: 1, parked: true, syncId, at } }]),
          {
            type: 'RemoteRecordVersionSeen',
            data: {
              recordType,
              localId,
              qboId: remote.qboId,
              syncToken: remote.syncToken,
              status: remote.status,
              computed: computedContent(recordType, remote.record),
              remoteUpdatedAt: remote.remoteUpdatedAt,
              syncId,
              at,
            },
          },
        ];
      }
      if (state.conflict !== null && state.conflict.remoteSyncToken === remote.syncToken && state.conflict.localContentHash === state.contentHash) return [];
      const detected: RecordEvent = {
        type: 'RecordConflictDetected',
        data: {
          recordType,
          localId,
          qboId: remote.qboId,
          policy,
          localContentHash: state.contentHash ?? '',
          remoteSyncToken: remote.syncToken,
          differences: command.differences,
          remote,
          syncId,
          at,
        },
      };
      switch (policy) {
        case 'review':
          return [detected];
        case 'qbo_wins':
          return [detected, { type: 'RecordConflictResolved', data: { recordType, localId, qboId: remote.qboId, resolution: 'qbo_wins', resolvedBy: 'policy', syncId, at } }, remoteChanged(command, remote, syncId)];
        case 'local_wins':
          return [detected, { type: 'RecordConflictResolved', data: { recordType, localId, qboId: remote.qboId, resolution: 'local_wins', resolvedBy: 'policy', syncId, at } }];
      }
      return [detected];
    }
    case 'RecordRemoteDeletion': {
      requireLinkTo(state, command, command.qboId);
      if (state.remoteStatus === 'deleted') return [];
      return [{ type: 'RemoteRecordDeleted', data: { recordType, localId, qboId: command.qboId, syncId: command.syncId, at } }];
    }
    case 'RecordFailure': {
      const parked = !command.error.retriable || command.attempt >= MAX_RECORD_ATTEMPTS;
      return [
        {
          type: 'RecordSyncFailed',
          data: { recordType, localId, direction: command.direction, error: command.error, attempt: command.attempt, parked, syncId: command.syncId, at },
        },
      ];
    }
    case 'RecordAmbiguousMatch': {
      const ids = (list: readonly { qboId: string }[]) => list.map((candidate) => candidate.qboId).sort().join(',');
      if (state.review !== null && state.review.rule === command.rule && ids(state.review.candidates) === ids(command.candidates)) return [];
      return [{ type: 'RecordMatchAmbiguous', data: { recordType, localId, rule: command.rule, candidates: command.candidates, syncId: command.syncId, at } }];
    }
    case 'ResolveConflict': {
      if (state.conflict === null) throw new NoOpenConflictError(recordType, localId);
      const qboId = state.conflict.remote?.qboId ?? state.link?.qboId ?? null;
      const resolved: RecordEvent = { type: 'RecordConflictResolved', data: { recordType, localId, qboId, resolution: command.resolution, resolvedBy: command.resolvedBy, syncId: command.syncId, at } };
      if (command.resolution === 'qbo_wins' && state.conflict.remote !== null) return [resolved, remoteChanged(command, state.conflict.remote, command.syncId)];
      return [resolved];
    }
  }
};

const succeeded = { failures: 0, parked: false, lastError: null } as const;

export const evolveRecord = (state: RecordState, event: { readonly type: string; readonly data: unknown }): RecordState => {
  const known = event as RecordEvent;
  switch (known.type) {
    case 'LocalRecordUpserted':
      // New content gets a fresh try: it may be what fixes a parked failure.
      return { ...state, exists: true, deleted: false, record: known.data.record, contentHash: known.data.contentHash, localRevision: known.data.localRevision, failures: 0, parked: false };
    case 'LocalRecordDeleted':
      return { ...state, deleted: true, localRevision: known.data.localRevision, failures: 0, parked: false };
    case 'RecordLinked':
      return {
        ...state,
        link: { qboId: known.data.qboId, syncToken: known.data.syncToken, via: known.data.via },
        remoteStatus: state.remoteStatus ?? 'active',
        review: null,
      };
    case 'RecordUnlinked':
      return { ...state, link: null, generation: state.generation + 1, syncedHash: null, syncedRemoteHash: null, lastPushedSyncToken: null, lastPushRequestId: null, remoteStatus: null, conflict: null };
    case 'RecordPushed': {
      const { operation } = known.data;
      const remoteStatus: RemoteStatus =
        operation === 'deactivate' ? 'inactive' : operation === 'void' ? 'voided' : operation === 'delete' ? 'deleted' : statusOfContent(state.record);
      return {
        ...state,
        ...succeeded,
        link: state.link === null ? null : { ...state.link, syncToken: known.data.syncToken },
        syncedHash: known.data.contentHash,
        syncedRemoteHash: known.data.remoteContentHash ?? null,
        lastPushedSyncToken: known.data.syncToken,
        lastPushRequestId: known.data.requestId,
        remoteStatus,
        review: null,
      };
    }
    case 'RemoteRecordChanged':
      // QBO's record becomes the record: the host takes it from the event feed.
      return {
        ...state,
        ...succeeded,
        exists: true,
        record: known.data.record,
        contentHash: known.data.contentHash,
        syncedHash: known.data.contentHash,
        syncedRemoteHash: known.data.contentHash,
        link: state.link === null ? null : { ...state.link, syncToken: known.data.syncToken },
        remoteStatus: known.data.status,
        conflict: null,
      };
    case 'RemoteRecordVersionSeen':
      // QBO's newer version (the next push writes over it) and what it computes; the owned content is the host's.
      return {
        ...state,
        record: state.record === null ? null : { ...state.record, ...known.data.computed },
        link: state.link === null ? null : { ...state.link, syncToken: known.data.syncToken },
        remoteStatus: known.data.status,
      };
    case 'RemoteRecordDeleted':
      return { ...state, remoteStatus: 'deleted' };
    case 'RecordSyncFailed':
      return { ...state, failures: known.data.attempt, parked: known.data.parked, lastError: known.data.error };
    case 'RecordMatchAmbiguous':
      return { ...state, review: { rule: known.data.rule, candidates: known.data.candidates } };
    case 'RecordConflictDetected': {
      const { policy, localContentHash, remoteSyncToken, differences, remote } = known.data;
      return { ...state, conflict: { policy, localContentHash, remoteSyncToken, differences, remote: remote ?? null } };
    }
    case 'RecordConflictResolved': {
      // QBO wins: its version is the record, so a host delete that QBO's version overrules is undone.
      if (known.data.resolution === 'qbo_wins') return { ...state, conflict: null, deleted: false };
      if (state.conflict === null) return { ...state, conflict: null };
      // Local wins: the next push writes over QBO's version, so it needs that version's SyncToken.
      const remote = state.conflict.remote;
      return {
        ...state,
        conflict: null,
        link: state.link === null ? null : { ...state.link, syncToken: state.conflict.remoteSyncToken },
        remoteStatus: remote?.status ?? state.remoteStatus,
      };
    }
    default:
      return state;
  }
};

const statusOfContent = (record: Record<string, unknown> | null): RemoteStatus =>
  record?.['voided'] === true ? 'voided' : record?.['active'] === false ? 'inactive' : 'active';

/** The state as the records read model shows it. */
export type RecordSyncStatus = 'pending' | 'synced' | 'failed' | 'review' | 'conflict';

export const recordSyncStatus = (state: RecordState): RecordSyncStatus => {
  if (state.conflict !== null) return 'conflict';
  if (state.review !== null) return 'review';
  if (state.parked) return 'failed';
  return needsPush(state) ? 'pending' : 'synced';
};

/** Whether the local side holds something QBO has not got: new content, a delete not yet carried out, or no link. */
export const needsPush = (state: RecordState): boolean => {
  if (!state.exists) return false;
  if (state.deleted) return state.link !== null && state.remoteStatus === 'active';
  return state.link === null || state.contentHash !== state.syncedHash;
};

export const recordDecider = { decide: decideRecord, evolve: evolveRecord, initialState: initialRecordState };
