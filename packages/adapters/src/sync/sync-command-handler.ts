// The api's commands on sync streams: run commands on `sync-{syncId}` (decided by the domain's sync decider)
// and a record type's sync settings on `settings-{tenant}`. Each folds its stream, decides, appends with the
// revision it decided on, and decides once more from fresh state when another writer got there first. A
// request whose id already exists is answered with the run that holds it (an idempotent replay), and settings
// that did not change append nothing.

import {
  type Actor,
  type EventStore,
  type NewEvent,
  type RecordType,
  type SyncCommand,
  type SyncEvent,
  type SyncRequested,
  type SyncRunState,
  type SyncSettingsChanged,
  IllegalSyncTransitionError,
  SYNC_CATEGORY,
  isWrongExpectedRevision,
  streamName,
  syncDecider,
} from '@qbo-sync/domain';
import { canonicalJson } from '../records/content-hash.js';
import { handleCommand } from '../event-store/handle-command.js';
import { deterministicUuid } from './deterministic-id.js';

export interface SyncCommandContext {
  readonly correlationId: string;
  readonly actor: Actor;
}

export const SETTINGS_CATEGORY = 'settings';
export const settingsStreamName = (tenantId: string): string => streamName(SETTINGS_CATEGORY, tenantId);
export const syncRunStreamName = (syncId: string): string => streamName(SYNC_CATEGORY, syncId);

export type SyncRequestOutcome =
  /** The run was requested now. */
  | { readonly kind: 'requested'; readonly request: SyncRequested['data'] }
  /** A run with this id already exists (a replayed request): here is what it asked for. */
  | { readonly kind: 'exists'; readonly request: SyncRequested['data'] | null };

export type SettingsInput = Omit<SyncSettingsChanged['data'], 'changedBy' | 'at'>;

export interface SyncCommandHandler {
  /** Any run command (the worker's start, complete, fail; a cancel): folds, decides, appends. */
  handle(
    syncId: string,
    tenantId: string,
    command: SyncCommand,
    context: SyncCommandContext,
  ): Promise<{ events: readonly SyncEvent[]; state: SyncRunState }>;
  requestSync(request: SyncRequested['data'], context: SyncCommandContext): Promise<SyncRequestOutcome>;
  /** The run's request as its stream holds it; null when there is no such run. */
  readRequest(syncId: string): Promise<SyncRequested['data'] | null>;
  changeSettings(
    tenantId: string,
    settings: SettingsInput,
    by: { readonly changedBy: string; readonly at: string },
    context: SyncCommandContext,
  ): Promise<{ changed: boolean }>;
}

export const SYNC_EVENT_SCHEMA_VERSION = 1;

const metadataOf = (tenantId: string, context: SyncCommandContext) => ({
  tenantId,
  correlationId: context.correlationId,
  causationId: null,
  actor: context.actor,
  schemaVersion: SYNC_EVENT_SCHEMA_VERSION,
});

/** The settings of each record type as the stream last set them. */
const foldSettings = (events: readonly { type: string; data: unknown }[]): Map<RecordType, SettingsInput> => {
  const settings = new Map<RecordType, SettingsInput>();
  for (const event of events) {
    if (event.type !== 'SyncSettingsChanged') continue;
    const { changedBy: _by, at: _at, ...rest } = (event as SyncSettingsChanged).data;
    settings.set(rest.recordType, rest);
  }
  return settings;
};

export const createSyncCommandHandler = (
  eventStore: EventStore,
  options: { maxAttempts?: number } = {},
): SyncCommandHandler => {
  const maxAttempts = options.maxAttempts ?? 2;

  const readRequest = async (syncId: string): Promise<SyncRequested['data'] | null> => {
    const read = await eventStore.readStream(syncRunStreamName(syncId), { maxCount: 1 });
    const first = read.events[0];
    return first?.type === 'SyncRequested' ? (first.data as SyncRequested['data']) : null;
  };

  const handler: SyncCommandHandler = {
    readRequest,
    handle: async (syncId, tenantId, command, context) => {
      const { events, state } = await handleCommand(eventStore, syncRunStreamName(syncId), syncDecider, command, {
        metadata: metadataOf(tenantId, context),
        eventId: (event, revision) => deterministicUuid('sync-event', syncId, String(revision), event.type),
        maxAttempts,
      });
      return { events, state };
    },
    requestSync: async (request, context) => {
      try {
        const { events } = await handler.handle(
          request.syncId,
          request.tenantId,
          { type: 'RequestSync', ...request },
          context,
        );
        // A run's id is taken once: asking again (a retried request, the same idempotency key) changes nothing.
        return events.length > 0
          ? { kind: 'requested', request }
          : { kind: 'exists', request: await readRequest(request.syncId) };
      } catch (error) {
        if (error instanceof IllegalSyncTransitionError)
          return { kind: 'exists', request: await readRequest(request.syncId) };
        throw error;
      }
    },
    changeSettings: async (tenantId, settings, by, context) => {
      const stream = settingsStreamName(tenantId);
      for (let attempt = 1; ; attempt += 1) {
        const read = await eventStore.readStream(stream);
        const current = foldSettings(read.events).get(settings.recordType);
        if (current !== undefined && canonicalJson(current) === canonicalJson(settings)) return { changed: false };
        const data: SyncSettingsChanged['data'] = { ...settings, changedBy: by.changedBy, at: by.at };
        const revision = read.currentRevision;
        const event: NewEvent = {
          id: deterministicUuid(
            'settings',
            stream,
            String(revision === null ? 0n : revision + 1n),
            canonicalJson(data),
          ),
          type: 'SyncSettingsChanged',
          data,
          metadata: metadataOf(tenantId, context),
        };
        try {
          await eventStore.appendToStream(stream, [event], { expectedRevision: revision ?? 'no_stream' });
          return { changed: true };
        } catch (error) {
          if (!isWrongExpectedRevision(error) || attempt >= maxAttempts) throw error;
        }
      }
    },
  };
  return handler;
};
