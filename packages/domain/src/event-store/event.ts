// The shape of an event as the domain writes it and as every event store hands it back.
// Metadata travels with every event so auditors and subscribers can tell who caused what, in which run.

export type Actor =
  | { readonly type: 'user'; readonly id: string }
  | { readonly type: 'api_key'; readonly id: string }
  | { readonly type: 'system'; readonly id: string };

export interface EventMetadata {
  readonly tenantId: string;
  /** The sync id or request id that groups everything one action caused. */
  readonly correlationId: string;
  /** The id of the command or event that directly caused this one, if any. */
  readonly causationId: string | null;
  readonly actor: Actor;
  /** Bumped when an event type changes shape; readers upcast older versions. */
  readonly schemaVersion: number;
}

/** An event about to be appended. The id is chosen by the caller (decide is pure), and makes retries idempotent. */
export interface NewEvent<Type extends string = string, Data = unknown> {
  readonly id: string;
  readonly type: Type;
  readonly data: Data;
  readonly metadata: EventMetadata;
}

/**
 * A place in the global log, ordered by (commit, prepare).
 * Postgres: commit = the appending transaction's xid8, prepare = the event's sequence number.
 * EventStoreDB: its own commit and prepare positions.
 */
export interface LogPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export interface RecordedEvent<Type extends string = string, Data = unknown> extends NewEvent<Type, Data> {
  readonly streamName: string;
  /** 0-based position of the event inside its stream. */
  readonly streamRevision: bigint;
  readonly position: LogPosition;
  readonly recordedAt: Date;
}

const compareBigints = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

export const comparePositions = (a: LogPosition, b: LogPosition): number =>
  compareBigints(a.commit, b.commit) || compareBigints(a.prepare, b.prepare);

export const isAfter = (position: LogPosition, checkpoint: LogPosition | null): boolean =>
  checkpoint === null || comparePositions(position, checkpoint) > 0;
