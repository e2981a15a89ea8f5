// Who asks and under which correlation: every use case takes this, and every event it writes carries it in
// its metadata, so an auditor can tell who caused what, in which run or request.

import { type Actor, type EventMetadata, schemaVersionOf } from '@qbo-sync/domain';

export interface CommandContext {
  /** The sync id for a run's writes, the request id for the api's. */
  readonly correlationId: string;
  readonly causationId?: string | null;
  readonly actor: Actor;
}

/** The metadata of one event written by a command in this context. */
export const metadataFor = (tenantId: string, context: CommandContext, eventType: string): EventMetadata => ({
  tenantId,
  correlationId: context.correlationId,
  causationId: context.causationId ?? null,
  actor: context.actor,
  schemaVersion: schemaVersionOf(eventType),
});

/** The system's own actor, for the worker's writes. */
export const SYNC_WORKER: Actor = { type: 'system', id: 'sync-worker' };

/** How a person or key is named in events and answers. */
export const actorLabel = (actor: Actor): string => `${actor.type === 'api_key' ? 'api-key' : actor.type}:${actor.id}`;
