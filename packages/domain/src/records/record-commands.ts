// What can be asked of one record's stream. Time, ids, hashes and QBO's answers come in on the command,
// so the decider stays pure.

import type { SyncError } from '../sync/sync-error.js';
import type { ConflictPolicy, LinkedVia, RemoteSnapshot } from './record-events.js';
import type { RecordType } from './record-type.js';

interface RecordCommandBase {
  readonly recordType: RecordType;
  readonly localId: string;
  readonly at: string;
}

/** The host sent a record, already parsed by its canonical schema; contentHash is of that parsed form. */
export type UpsertLocalRecord = RecordCommandBase & {
  readonly type: 'UpsertLocalRecord';
  readonly record: Record<string, unknown>;
  readonly contentHash: string;
};

export type DeleteLocalRecord = RecordCommandBase & { readonly type: 'DeleteLocalRecord' };

/** Link to a QBO record: found by a match, created by a push, mirrored by a pull, or chosen in review. */
export type LinkRecord = RecordCommandBase & {
  readonly type: 'LinkRecord';
  readonly qboId: string;
  readonly syncToken: string;
  readonly via: 'matched' | 'pulled' | 'review';
  readonly syncId: string | null;
};

/** Drop the link, e.g. after QBO deleted the record and an operator chose to create it anew. */
export type UnlinkRecord = RecordCommandBase & { readonly type: 'UnlinkRecord'; readonly reason: string };

/** QBO accepted a write. A create also links the record (via "created"). */
export type RecordPushResult = RecordCommandBase & {
  readonly type: 'RecordPushResult';
  readonly qboId: string;
  readonly operation: 'create' | 'update' | 'deactivate' | 'void' | 'delete';
  readonly syncToken: string;
  /** The hash and revision of the local content that was pushed (it may have changed since). */
  readonly contentHash: string;
  readonly localRevision: number;
  readonly requestId: string;
  /** Calls it took (1: answered at once; more: retried after a fault or a lost answer). */
  readonly attempts: number;
  /** QBO's answer was lost (or the name was taken) and a lookup found the record the write had made. */
  readonly foundByLookup: boolean;
  /** The hash of QBO's record as the write left it (canonical, owned content); null when QBO's answer held none. */
  readonly remoteContentHash: string | null;
  readonly syncId: string;
};

/** A pull (or a re-read after 5010) saw the QBO record; the policy settles a conflict if both sides changed. */
export type RecordRemoteState = RecordCommandBase & {
  readonly type: 'RecordRemoteState';
  readonly remote: RemoteSnapshot;
  readonly policy: ConflictPolicy;
  /** Field-level differences between the local record and QBO's, for the conflict event (the planner computes them). */
  readonly differences: readonly { readonly field: string; readonly local: unknown; readonly remote: unknown }[];
  readonly syncId: string;
};

export type RecordRemoteDeletion = RecordCommandBase & {
  readonly type: 'RecordRemoteDeletion';
  readonly qboId: string;
  readonly syncId: string;
};

export type RecordFailure = RecordCommandBase & {
  readonly type: 'RecordFailure';
  readonly direction: 'push' | 'pull';
  readonly error: SyncError;
  /** 1-based attempt within the run. */
  readonly attempt: number;
  readonly syncId: string;
};

export type RecordAmbiguousMatch = RecordCommandBase & {
  readonly type: 'RecordAmbiguousMatch';
  readonly rule: string;
  readonly candidates: readonly { readonly qboId: string; readonly label: string }[];
  readonly syncId: string;
};

/** A person settles a conflict held for review. */
export type ResolveConflict = RecordCommandBase & {
  readonly type: 'ResolveConflict';
  readonly resolution: 'qbo_wins' | 'local_wins';
  readonly resolvedBy: string;
  /** The run the resolution belongs to; null when a person resolves it in the review queue, outside any run. */
  readonly syncId: string | null;
};

export type RecordCommand =
  | UpsertLocalRecord
  | DeleteLocalRecord
  | LinkRecord
  | UnlinkRecord
  | RecordPushResult
  | RecordRemoteState
  | RecordRemoteDeletion
  | RecordFailure
  | RecordAmbiguousMatch
  | ResolveConflict;

/** Attempts of a retriable failure within a run: the first try and three retries, then the record is parked. */
export const MAX_RECORD_ATTEMPTS = 4;

export type { LinkedVia };
