// The activity log read model: one row per event with where it sits in the log and who caused it, for
// the activity view and the event explorer. Events are immutable, so a redelivered row is left as it is.

import { type RecordedEvent, categoryOf } from '@qbo-sync/domain';
import { sql } from 'kysely';
import type { Projection } from '../projection.js';

// 14 parameters a row; Postgres allows 65,535 per statement.
const ROWS_PER_INSERT = 2_000;

const toRow = (event: RecordedEvent) => ({
  event_id: event.id,
  commit_position: event.position.commit,
  prepare_position: event.position.prepare,
  stream_name: event.streamName,
  stream_revision: event.streamRevision,
  category: categoryOf(event.streamName),
  event_type: event.type,
  tenant_id: event.metadata.tenantId,
  correlation_id: event.metadata.correlationId,
  causation_id: event.metadata.causationId,
  actor_type: event.metadata.actor.type,
  actor_id: event.metadata.actor.id,
  schema_version: event.metadata.schemaVersion,
  recorded_at: event.recordedAt,
});

export const activityLogProjection: Projection = {
  name: 'activity_log',
  apply: async (trx, events) => {
    for (let start = 0; start < events.length; start += ROWS_PER_INSERT) {
      await trx
        .insertInto('activity_log')
        .values(events.slice(start, start + ROWS_PER_INSERT).map(toRow))
        .onConflict((conflict) => conflict.column('event_id').doNothing())
        .execute();
    }
  },
  reset: async (trx) => {
    await sql`truncate table activity_log`.execute(trx);
  },
};
