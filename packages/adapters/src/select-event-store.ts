// Which log a process writes to, picked once per composition root from EVENT_STORE: Postgres (the default),
// with the write side's record directory kept by an inline projection in each append's transaction; or
// EventStoreDB, with the directory (still in Postgres) written right after each append.

import type { EventStore } from '@qbo-sync/domain';
import type { Kysely } from 'kysely';
import { createEsdbEventStore } from './eventstoredb/esdb-event-store.js';
import { createPostgresEventStore } from './postgres/postgres-event-store.js';
import { followWithRecordDirectory } from './postgres/record-directory/record-directory-follower.js';
import { recordDirectoryProjection } from './postgres/record-directory/postgres-record-directory.js';

export interface EventStoreSelection {
  readonly kind: 'postgres' | 'eventstoredb';
  /** The Postgres of read models, jobs and the record directory (and of the log, when kind is postgres). */
  readonly databaseUrl: string;
  readonly eventStoreUrl?: string | undefined;
}

export const createEventStore = (db: Kysely<unknown>, selection: EventStoreSelection): EventStore => {
  if (selection.kind === 'eventstoredb') {
    if (selection.eventStoreUrl === undefined) throw new Error('EVENTSTORE_URL is required when EVENT_STORE=eventstoredb');
    return followWithRecordDirectory(createEsdbEventStore({ connectionString: selection.eventStoreUrl }), db);
  }
  return createPostgresEventStore({ db, connectionString: selection.databaseUrl, inlineProjections: [recordDirectoryProjection] });
};
