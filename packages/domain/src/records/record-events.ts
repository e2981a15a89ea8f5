// The events of one local record's stream, `record-{tenant}.{type}.{localId}`: what the host said, how the
// record is linked to QBO, what was pushed and pulled, and every failure and conflict on the way. The
// record's whole history, for the auditor, is this stream. `data` of a record is its canonical form.
// All times are ISO-8601 strings; `syncId` ties an event to the run that caused it (also the correlationId).

import type { SyncError } from '../sync/sync-error.js';
import type { RecordType } from './record-type.js';

/** Where the QBO side of a record stands. */
export type RemoteStatus = 'active' | 'inactive' | 'voided' | 'deleted';

/** How a link came to be. */
export type LinkedVia = 'created' | 'matched' | 'pulled' | 'review';

export type LocalRecordUpserted = {
  readonly type: 'LocalRecordUpserted';
  readonly data: {
    readonly recordType: RecordType;
    readonly localId: string;
    /** The canonical record, validated by its zod schema. */
    readonly record: Record<string, unknown>;
    /** sha256 of the canonical JSON; an upsert with the same hash appends nothing. */
    readonly contentHash: string;
    /** 1 for the first upsert, +1 for each change: it goes into the requestid of the push it causes. */
    readonly localRevision: number;
    readonly at: string;
  };
};

export type LocalRecordDeleted = {
  readonly type: 'LocalRecordDeleted';
  readonly data: { readonly recordType: RecordType; readonly localId: string; readonly localRevision: number; readonly at: string };
};

export type RecordLinked = {
  readonly type: 'RecordLinked';
  readonly data: {
    readonly recordType: RecordType;
    readonly localId: string;
    readonly qboId: string;
    readonly syncToken: string;
    readonly via: LinkedVia;
    readonly syncId: string | null;
    readonly at: string;
  };
};

export type RecordUnlinked = {
  readonly type: 'RecordUnlinked';
  readonly data: {
    readonly recordType: RecordType;
    readonly localId: string;
    readonly qboId: string;
    /** e.g. the QBO record was deleted; the next push creates it anew (generation + 1). */
    readonly reason: string;
    readonly at: string;
  };
};

export type RecordPushed = {
  readonly type: 'RecordPushed';
  readonly data: {
    readonly recordType: RecordType;
    readonly localId: string;
    readonly qboId: string;
    readonly operation: 'create' | 'update' | 'deactivate' | 'void' | 'delete';
    /** The SyncToken QBO returned: a pull that sees this token knows the change was ours (no echo). */
    readonly syncToken: string;
    /** The local content that was pushed. */
    readonly contentHash: string;
    readonly localRevision: number;
    readonly requestId: string;
    /** Calls the write took: 1 when QBO answered at once (schemaVersion 2; version 1 reads as 1). */
    readonly attempts: number;
    /** The answer was lost (or the name was taken) and a lookup found the record (schemaVersion 2). */
    readonly foundByLookup: boolean;
    /**
     * The hash of QBO's record as the write left it, read back in canonical form (schemaVersion 2; null in
     * version 1). QBO fills in what the host left out (a currency, a due date), so its form of the same
     * content hashes differently: a later pull compares against this to tell whether QBO's side moved.
     */
    readonly remoteContentHash: string | null;
    readonly syncId: string;
    readonly at: string;
  };
};

export type RemoteRecordChanged = {
  readonly type: 'RemoteRecordChanged';
  readonly data: {
    readonly recordType: RecordType;
    readonly localId: string;
    readonly qboId: string;
    readonly syncToken: string;
    readonly status: RemoteStatus;
    /** The canonical form of the QBO record: what the host takes from the event feed. */
    readonly record: Record<string, unknown>;
    /** Hash of the canonical form, so the next push knows the local copy already equals QBO's. */
    readonly contentHash: string;
    /** QBO's MetaData.LastUpdatedTime. */
    readonly remoteUpdatedAt: string;
    /** The run that read it; null when a person applied QBO's side of a conflict in the review queue. */
    readonly syncId: string | null;
    readonly at: string;
  };
};

/**
 * QBO's version moved, but not in anything the host owns (a payment changed an invoice's balance) while the
 * host has an edit of its own waiting: the edit stays, and the next push writes over this version.
 */
export type RemoteRecordVersionSeen = {
  readonly type: 'RemoteRecordVersionSeen';
  readonly data: {
    readonly recordType: RecordType;
    readonly localId: string;
    readonly qboId: string;
    readonly syncToken: string;
    readonly status: RemoteStatus;
    /** The fields QBO computes, as it now holds them (records/computed-fields.ts). */
    readonly computed: Record<string, unknown>;
    readonly remoteUpdatedAt: string;
    readonly syncId: string | null;
    readonly at: string;
  };
};

export type RemoteRecordDeleted = {
  readonly type: 'RemoteRecordDeleted';
  readonly data: {
    readonly recordType: RecordType;
    readonly localId: string;
    readonly qboId: string;
    readonly syncId: string;
    readonly at: string;
  };
};

export type RecordSyncFailed = {
  readonly type: 'RecordSyncFailed';
  readonly data: {
    readonly recordType: RecordType;
    readonly localId: string;
    readonly direction: 'push' | 'pull';
    readonly error: SyncError;
    /** 1-based attempt within the run; after the last, the record is parked in the failed list. */
    readonly attempt: number;
    readonly parked: boolean;
    readonly syncId: string;
    readonly at: string;
  };
};

export type RecordMatchAmbiguous = {
  readonly type: 'RecordMatchAmbiguous';
  readonly data: {
    readonly recordType: RecordType;
    readonly localId: string;
    /** The rule that found several candidates, e.g. "email". */
    readonly rule: string;
    readonly candidates: readonly { readonly qboId: string; readonly label: string }[];
    readonly syncId: string;
    readonly at: string;
  };
};

export type RecordConflictDetected = {
  readonly type: 'RecordConflictDetected';
  readonly data: {
    readonly recordType: RecordType;
    readonly localId: string;
    readonly qboId: string;
    readonly policy: ConflictPolicy;
    readonly localContentHash: string;
    readonly remoteSyncToken: string;
    /** Fields that differ, local value against QBO's. */
    readonly differences: readonly { readonly field: string; readonly local: unknown; readonly remote: unknown }[];
    /**
     * QBO's side as it stood (added by the records decider): a review that picks QBO applies it without
     * another read, and a local win pushes over this SyncToken.
     */
    readonly remote?: RemoteSnapshot;
    readonly syncId: string;
    readonly at: string;
  };
};

/** One read of a QBO record, in canonical form. */
export interface RemoteSnapshot {
  readonly qboId: string;
  readonly syncToken: string;
  readonly status: RemoteStatus;
  readonly record: Record<string, unknown>;
  readonly contentHash: string;
  readonly remoteUpdatedAt: string;
}

export type RecordConflictResolved = {
  readonly type: 'RecordConflictResolved';
  readonly data: {
    readonly recordType: RecordType;
    readonly localId: string;
    /** The QBO record the conflict was with (schemaVersion 2; upcast from the conflict for version 1). */
    readonly qboId: string | null;
    readonly resolution: 'qbo_wins' | 'local_wins';
    /** 'policy' when the tenant's policy decided, else the user who chose in the review queue. */
    readonly resolvedBy: string;
    /** The run that resolved it by policy; null when a person resolved it in the review queue (schemaVersion 2). */
    readonly syncId: string | null;
    readonly at: string;
  };
};

export type ConflictPolicy = 'qbo_wins' | 'local_wins' | 'review';

export type RecordEvent =
  | LocalRecordUpserted
  | LocalRecordDeleted
  | RecordLinked
  | RecordUnlinked
  | RecordPushed
  | RemoteRecordChanged
  | RemoteRecordVersionSeen
  | RemoteRecordDeleted
  | RecordSyncFailed
  | RecordMatchAmbiguous
  | RecordConflictDetected
  | RecordConflictResolved;
