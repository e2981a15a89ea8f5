// Use case: someone asks for a pull or a push of a tenant's record type. The run is recorded as SyncRequested
// on its own stream and the caller gets its id at once; a dispatcher turns it into a job. Runs talk to QBO, so
// a tenant that is not connected, or whose connection is down (as its connection stream says), is told now, with
// where to reconnect, not by a failed run later. With an idempotency key the run's id derives from the key: the
// same key asks for the same run, and a key reused for a different request is refused.

import {
  type EventStore,
  IllegalSyncTransitionError,
  type RecordType,
  type SyncDirection,
  type SyncRequested,
  type SyncScope,
  connectionDecider,
  connectionStreamName,
  syncBlocker,
  syncDecider,
  syncStreamName,
} from '@qbo-sync/domain';
import { type CommandContext, actorLabel } from '../shared/command-context.js';
import { deterministicUuid } from '../shared/deterministic-id.js';
import { handleCommand, loadState } from '../shared/handle-command.js';
import { IdempotencyKeyReusedError, NotConnectedError } from './sync-request-errors.js';

export interface RequestSyncInput {
  readonly tenantId: string;
  readonly recordType: RecordType;
  readonly direction: SyncDirection;
  readonly scope: SyncScope;
  readonly dryRun: boolean;
  /** The host's Idempotency-Key, if it sent one. */
  readonly idempotencyKey?: string;
  /** Set when the run retries another run's parked failures (its id is then derived from that run). */
  readonly retryOf?: string;
  /** A new run's id when there is no key to derive it from (the caller draws it). */
  readonly newSyncId: string;
  readonly at: string;
}

export interface RequestSyncResult {
  readonly syncId: string;
  /** The same request was made before: this is the run it made. */
  readonly replayed: boolean;
  readonly request: SyncRequested['data'];
}

const sameRequest = (a: SyncRequested['data'], b: SyncRequested['data']): boolean =>
  a.tenantId === b.tenantId && a.recordType === b.recordType && a.direction === b.direction && a.dryRun === b.dryRun && JSON.stringify(a.scope) === JSON.stringify(b.scope);

/** Throws NotConnectedError unless the tenant's connection stream says it is connected and not down. */
export const requireConnected = async (eventStore: EventStore, tenantId: string): Promise<void> => {
  const { state } = await loadState(eventStore, connectionStreamName(tenantId), connectionDecider);
  const blocker = syncBlocker(state);
  if (blocker !== null) throw new NotConnectedError(tenantId, blocker);
};

export const requestSync = async (deps: { readonly eventStore: EventStore }, input: RequestSyncInput, context: CommandContext): Promise<RequestSyncResult> => {
  await requireConnected(deps.eventStore, input.tenantId);
  const syncId =
    input.retryOf !== undefined
      ? deterministicUuid('retry-failed', input.tenantId, input.retryOf)
      : input.idempotencyKey !== undefined
        ? deterministicUuid('sync-request', input.tenantId, input.idempotencyKey)
        : input.newSyncId;
  const request: SyncRequested['data'] = {
    syncId,
    tenantId: input.tenantId,
    recordType: input.recordType,
    direction: input.direction,
    scope: input.scope,
    dryRun: input.dryRun,
    retryOf: input.retryOf ?? null,
    requestedBy: actorLabel(context.actor),
    at: input.at,
  };
  const stream = syncStreamName(syncId);
  try {
    const { events, state } = await handleCommand(deps.eventStore, stream, syncDecider, { type: 'RequestSync', ...request }, { tenantId: input.tenantId, context });
    if (events.length > 0) return { syncId, replayed: false, request };
    // Asked before: the earlier request stands, if it asked for the same thing.
    const earlier = { ...request, scope: state.scope ?? request.scope, dryRun: state.dryRun };
    if (input.retryOf === undefined && !sameRequest(earlier, request)) throw new IdempotencyKeyReusedError();
    return { syncId, replayed: true, request: { ...request, scope: earlier.scope } };
  } catch (error) {
    if (!(error instanceof IllegalSyncTransitionError)) throw error;
    // The id is taken by a different request (another type or direction): the key was reused.
    const { state } = await loadState(deps.eventStore, stream, syncDecider);
    if (input.retryOf !== undefined && state.syncId === syncId) return { syncId, replayed: true, request: { ...request, scope: state.scope ?? request.scope } };
    throw new IdempotencyKeyReusedError();
  }
};
