// The published shape of every event type, as zod schemas of `data` in its current schemaVersion, and of the
// envelope every event travels in. Subscribers validate against the JSON Schemas generated from these
// (GET /v1/events/schema); the compile-time checks at the bottom hold each schema to the event type the
// deciders write, both ways, so neither can change without the other. A change of shape also needs a new
// schemaVersion and an upcaster (schema-versions.ts): test/event-store/event-schemas.test.ts fails otherwise.

import { z } from 'zod';
import type {
  ConnectionAuthorized,
  ConnectionDisconnected,
  ConnectionEvent,
  ConnectionHealthChanged,
  ConnectionRefreshFailed,
  ConnectionTokensRefreshed,
} from '../connection/connection-events.js';
import type { QboClaimEvent, QboRecordClaimed, QboRecordReleased } from '../records/qbo-claim.js';
import type {
  LocalRecordDeleted,
  LocalRecordUpserted,
  RecordConflictDetected,
  RecordConflictResolved,
  RecordEvent,
  RecordLinked,
  RecordMatchAmbiguous,
  RecordPushed,
  RecordSyncFailed,
  RecordUnlinked,
  RemoteRecordChanged,
  RemoteRecordDeleted,
  RemoteRecordVersionSeen,
} from '../records/record-events.js';
import { RECORD_TYPES } from '../records/record-type.js';
import type { SettingsEvent, SyncSettingsChanged } from '../settings/sync-settings.js';
import { SYNC_ERROR_KINDS } from '../sync/sync-error.js';
import {
  SYNC_OUTCOMES,
  type SyncCancelled,
  type SyncCompleted,
  type SyncEvent,
  type SyncFailed,
  type SyncPageRecorded,
  type SyncRequested,
  type SyncStarted,
  type SyncThrottled,
} from '../sync/sync-events.js';

const recordType = z.enum(RECORD_TYPES);
const time = z.string().meta({ description: 'ISO-8601 date-time' });
const remoteStatus = z.enum(['active', 'inactive', 'voided', 'deleted']);
const health = z.enum(['healthy', 'degraded', 'down']);
const conflictPolicy = z.enum(['qbo_wins', 'local_wins', 'review']);
const canonical = z.record(z.string(), z.unknown()).meta({ description: 'A record in the canonical form of its type (docs/records.md)' });
const n = z.number();
// Every outcome bucket by name (a loop would lose the keys' types); the checks below catch a missing one.
const counts = z.object({ planned: n, created: n, updated: n, matched: n, deactivated: n, voided: n, deleted: n, pulled: n, remote_deleted: n, conflict: n, review: n, skipped: n, failed: n });
const syncError = z.object({
  kind: z.enum(SYNC_ERROR_KINDS),
  qboCode: z.string().nullable(),
  message: z.string(),
  hint: z.string(),
  retriable: z.boolean(),
  intuitTid: z.string().nullable(),
});
const tokenExpiries = {
  accessTokenExpiresAt: time,
  refreshTokenExpiresAt: time,
  refreshTokenHardExpiresAt: time.nullable(),
};
const scope = z.discriminatedUnion('kind', [z.object({ kind: z.literal('all') }), z.object({ kind: z.literal('changed') }), z.object({ kind: z.literal('ids'), localIds: z.array(z.string()) })]);
const recordKey = { recordType, localId: z.string() };

/** `data` of each event type, in its current schemaVersion. */
export const EVENT_DATA_SCHEMAS = {
  // Records: one stream per local record, record-{tenant}.{type}.{localId}.
  LocalRecordUpserted: z.object({ ...recordKey, record: canonical, contentHash: z.string(), localRevision: z.number(), at: time }),
  LocalRecordDeleted: z.object({ ...recordKey, localRevision: z.number(), at: time }),
  RecordLinked: z.object({ ...recordKey, qboId: z.string(), syncToken: z.string(), via: z.enum(['created', 'matched', 'pulled', 'review']), syncId: z.string().nullable(), at: time }),
  RecordUnlinked: z.object({ ...recordKey, qboId: z.string(), reason: z.string(), at: time }),
  RecordPushed: z.object({
    ...recordKey,
    qboId: z.string(),
    operation: z.enum(['create', 'update', 'deactivate', 'void', 'delete']),
    syncToken: z.string(),
    contentHash: z.string(),
    localRevision: z.number(),
    requestId: z.string(),
    attempts: z.number(),
    foundByLookup: z.boolean(),
    remoteContentHash: z.string().nullable(),
    syncId: z.string(),
    at: time,
  }),
  RemoteRecordChanged: z.object({
    ...recordKey,
    qboId: z.string(),
    syncToken: z.string(),
    status: remoteStatus,
    record: canonical,
    contentHash: z.string(),
    remoteUpdatedAt: time,
    syncId: z.string().nullable(),
    at: time,
  }),
  RemoteRecordVersionSeen: z.object({
    ...recordKey,
    qboId: z.string(),
    syncToken: z.string(),
    status: remoteStatus,
    computed: z.record(z.string(), z.unknown()),
    remoteUpdatedAt: time,
    syncId: z.string().nullable(),
    at: time,
  }),
  RemoteRecordDeleted: z.object({ ...recordKey, qboId: z.string(), syncId: z.string(), at: time }),
  RecordSyncFailed: z.object({ ...recordKey, direction: z.enum(['push', 'pull']), error: syncError, attempt: z.number(), parked: z.boolean(), syncId: z.string(), at: time }),
  RecordMatchAmbiguous: z.object({ ...recordKey, rule: z.string(), candidates: z.array(z.object({ qboId: z.string(), label: z.string() })), syncId: z.string(), at: time }),
  RecordConflictDetected: z.object({
    ...recordKey,
    qboId: z.string(),
    policy: conflictPolicy,
    localContentHash: z.string(),
    remoteSyncToken: z.string(),
    differences: z.array(z.object({ field: z.string(), local: z.unknown(), remote: z.unknown() })),
    remote: z
      .object({ qboId: z.string(), syncToken: z.string(), status: remoteStatus, record: canonical, contentHash: z.string(), remoteUpdatedAt: time })
      .optional(),
    syncId: z.string(),
    at: time,
  }),
  RecordConflictResolved: z.object({
    ...recordKey,
    qboId: z.string().nullable(),
    resolution: z.enum(['qbo_wins', 'local_wins']),
    resolvedBy: z.string(),
    syncId: z.string().nullable(),
    at: time,
  }),
  // QBO claims: qbolink-{tenant}.{type}.{qboId}, one local record per QBO record.
  QboRecordClaimed: z.object({ recordType, qboId: z.string(), localId: z.string(), at: time }),
  QboRecordReleased: z.object({ recordType, qboId: z.string(), localId: z.string(), at: time }),
  // Runs: sync-{syncId}.
  SyncRequested: z.object({
    syncId: z.string(),
    tenantId: z.string(),
    recordType,
    direction: z.enum(['push', 'pull']),
    scope,
    dryRun: z.boolean(),
    retryOf: z.string().nullable(),
    requestedBy: z.string(),
    at: time,
  }),
  SyncStarted: z.object({ syncId: z.string(), workerId: z.string(), at: time }),
  SyncPageRecorded: z.object({
    syncId: z.string(),
    outcomes: z.array(z.object({ recordType, localId: z.string(), qboId: z.string().nullable(), outcome: z.enum(SYNC_OUTCOMES) })),
    counts,
    at: time,
  }),
  SyncThrottled: z.object({ syncId: z.string(), until: time, at: time }),
  SyncCompleted: z.object({ syncId: z.string(), counts, cursor: z.string().nullable(), plan: z.unknown(), outcome: z.enum(['completed', 'completed_with_failures']), at: time }),
  SyncFailed: z.object({ syncId: z.string(), reason: z.string(), counts: counts.nullable(), at: time }),
  SyncCancelled: z.object({ syncId: z.string(), cancelledBy: z.string(), at: time }),
  // Settings: settings-{tenant}.
  SyncSettingsChanged: z.object({ mode: z.enum(['manual', 'scheduled', 'realtime']), schedule: z.string().nullable(), conflictPolicy, recordType, changedBy: z.string(), at: time }),
  // The QuickBooks connection: connection-{tenant}. Token values are never in events.
  ConnectionAuthorized: z.object({
    ...tokenExpiries,
    realmId: z.string(),
    company: z.object({
      companyName: z.string(),
      country: z.string().nullable(),
      homeCurrency: z.string().nullable(),
      multiCurrencyEnabled: z.boolean(),
      customTransactionNumbers: z.boolean(),
    }),
    authorizedBy: z.string(),
    replacedRealmId: z.string().nullable(),
    at: time,
  }),
  ConnectionTokensRefreshed: z.object({ ...tokenExpiries, realmId: z.string(), refreshTokenRotated: z.boolean(), at: time }),
  ConnectionRefreshFailed: z.object({ realmId: z.string(), kind: z.enum(['invalid_grant', 'transient']), errorCode: z.string(), consecutiveFailures: z.number(), at: time }),
  ConnectionHealthChanged: z.object({ realmId: z.string(), from: health, to: health, reason: z.string(), at: time }),
  ConnectionDisconnected: z.object({ realmId: z.string(), revokedAtIntuit: z.boolean(), disconnectedBy: z.string(), at: time }),
} as const;

export type PublishedEventType = keyof typeof EVENT_DATA_SCHEMAS;
export const PUBLISHED_EVENT_TYPES = Object.keys(EVENT_DATA_SCHEMAS) as PublishedEventType[];

/**
 * The envelope every event travels in outside the service (docs/events.md): the feed, a record's history, the
 * export and webhooks. `data` is one of the schemas above, by `type`; the feed adds its own keys beside these.
 */
export const eventEnvelopeSchema = z.object({
  id: z.string().meta({ description: 'Chosen by the writer; deduplicate by it' }),
  type: z.string().meta({ description: 'The event type: its data follows the schema of that type' }),
  data: z.unknown(),
  metadata: z.object({
    tenantId: z.string(),
    correlationId: z.string().meta({ description: 'The sync id or API request id that grouped everything one action caused' }),
    causationId: z.string().nullable(),
    actor: z.object({ type: z.enum(['user', 'api_key', 'system']), id: z.string() }),
    schemaVersion: z.number().int().min(1).meta({ description: "Version of data's shape for this type" }),
  }),
  streamName: z.string().meta({ description: '<category>-<id>' }),
  streamRevision: z.string().regex(/^[0-9]+$/).meta({ description: '0-based position inside its stream, as a decimal string (64-bit)' }),
  position: z
    .object({ commit: z.string(), prepare: z.string() })
    .meta({ description: 'Position in the global log, as decimal strings (64-bit): resume a subscription after it' }),
  recordedAt: time.meta({ description: 'When the store wrote it' }),
  occurredAt: time.meta({ description: 'When it happened: data.at, else recordedAt' }),
});

// Compile-time: each schema's output is the event type's data and the other way round. A field added to
// one side only fails `pnpm typecheck` here.
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type DeepMutable<T> = T extends readonly (infer U)[] ? DeepMutable<U>[] : T extends object ? { -readonly [K in keyof T]: DeepMutable<T[K]> } : T;
type Data<E extends { readonly data: unknown }> = DeepMutable<E['data']>;
type Of<K extends PublishedEventType> = DeepMutable<z.infer<(typeof EVENT_DATA_SCHEMAS)[K]>>;
type Check<T extends true> = T;
export type EventSchemasMatchTheirTypes = [
  // Every event type the deciders write is published, and nothing else.
  Check<Exactly<(RecordEvent | QboClaimEvent | SyncEvent | SettingsEvent | ConnectionEvent)['type'], PublishedEventType>>,
  Check<Exactly<Of<'LocalRecordUpserted'>, Data<LocalRecordUpserted>>>,
  Check<Exactly<Of<'LocalRecordDeleted'>, Data<LocalRecordDeleted>>>,
  Check<Exactly<Of<'RecordLinked'>, Data<RecordLinked>>>,
  Check<Exactly<Of<'RecordUnlinked'>, Data<RecordUnlinked>>>,
  Check<Exactly<Of<'RecordPushed'>, Data<RecordPushed>>>,
  Check<Exactly<Of<'RemoteRecordChanged'>, Data<RemoteRecordChanged>>>,
  Check<Exactly<Of<'RemoteRecordVersionSeen'>, Data<RemoteRecordVersionSeen>>>,
  Check<Exactly<Of<'RemoteRecordDeleted'>, Data<RemoteRecordDeleted>>>,
  Check<Exactly<Of<'RecordSyncFailed'>, Data<RecordSyncFailed>>>,
  Check<Exactly<Of<'RecordMatchAmbiguous'>, Data<RecordMatchAmbiguous>>>,
  Check<Exactly<Of<'RecordConflictDetected'>, Data<RecordConflictDetected>>>,
  Check<Exactly<Of<'RecordConflictResolved'>, Data<RecordConflictResolved>>>,
  Check<Exactly<Of<'QboRecordClaimed'>, Data<QboRecordClaimed>>>,
  Check<Exactly<Of<'QboRecordReleased'>, Data<QboRecordReleased>>>,
  Check<Exactly<Of<'SyncRequested'>, Data<SyncRequested>>>,
  Check<Exactly<Of<'SyncStarted'>, Data<SyncStarted>>>,
  Check<Exactly<Of<'SyncPageRecorded'>, Data<SyncPageRecorded>>>,
  Check<Exactly<Of<'SyncThrottled'>, Data<SyncThrottled>>>,
  Check<Exactly<Of<'SyncCompleted'>, Data<SyncCompleted>>>,
  Check<Exactly<Of<'SyncFailed'>, Data<SyncFailed>>>,
  Check<Exactly<Of<'SyncCancelled'>, Data<SyncCancelled>>>,
  Check<Exactly<Of<'SyncSettingsChanged'>, Data<SyncSettingsChanged>>>,
  Check<Exactly<Of<'ConnectionAuthorized'>, Data<ConnectionAuthorized>>>,
  Check<Exactly<Of<'ConnectionTokensRefreshed'>, Data<ConnectionTokensRefreshed>>>,
  Check<Exactly<Of<'ConnectionRefreshFailed'>, Data<ConnectionRefreshFailed>>>,
  Check<Exactly<Of<'ConnectionHealthChanged'>, Data<ConnectionHealthChanged>>>,
  Check<Exactly<Of<'ConnectionDisconnected'>, Data<ConnectionDisconnected>>>,
];
