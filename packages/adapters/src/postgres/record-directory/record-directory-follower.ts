// Keeps the Postgres record directory in step with a log that is not in Postgres (EventStoreDB). There the
// directory cannot commit in the append's transaction, so it is written right after each append instead.
// Writes are idempotent (a row remembers the stream revision it holds), and a row that missed events (the
// process died between the append and this write) is folded again from the whole stream the next time the
// stream is appended to. docs/event-store.md says what this does and does not guarantee.

import {
  type AppendResult,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
  type StreamAppend,
  parseRecordStreamName,
} from '@qbo-sync/domain';
import { type Kysely, sql } from 'kysely';
import { foldDirectoryRows, writeDirectoryRows } from './record-directory-rows.js';

const recorded = (streamName: string, events: readonly NewEvent[], result: AppendResult): RecordedEvent[] =>
  events.map((event, index) => ({
    ...event,
    streamName,
    streamRevision: result.nextExpectedRevision - BigInt(events.length - 1 - index),
    position: result.position,
    recordedAt: new Date(0),
  }));

export const followWithRecordDirectory = (store: EventStore, db: Kysely<unknown>): EventStore => {
  const apply = async (appended: readonly { streamName: string; events: readonly NewEvent[]; result: AppendResult }[]) => {
    const records = appended.filter((entry) => parseRecordStreamName(entry.streamName) !== null);
    if (records.length === 0) return;
    await db.transaction().execute(async (trx) => {
      const events: RecordedEvent[] = [];
      for (const entry of records) {
        const parsed = parseRecordStreamName(entry.streamName);
        const fresh = recorded(entry.streamName, entry.events, entry.result);
        const first = fresh[0]?.streamRevision ?? 0n;
        const { rows } = await sql<{ revision: string }>`select revision from record_directory
          where tenant_id = ${parsed?.tenantId} and record_type = ${parsed?.type} and local_id = ${parsed?.localId}`.execute(trx);
        const held = rows[0] === undefined ? -1n : BigInt(rows[0].revision);
        // A gap: events this row never saw. Fold the whole stream instead.
        if (held < first - 1n) events.push(...(await store.readStream(entry.streamName)).events.filter((event) => event.streamRevision > held));
        else events.push(...fresh);
      }
      await writeDirectoryRows(trx, await foldDirectoryRows(trx, events));
    });
  };
  return {
    ...store,
    appendToStream: async (streamName, events, options) => {
      const result = await store.appendToStream(streamName, events, options);
      await apply([{ streamName, events, result }]);
      return result;
    },
    appendToStreams: async (appends: readonly StreamAppend[]) => {
      const results = await store.appendToStreams(appends);
      await apply(appends.map((append, index) => ({ streamName: append.streamName, events: append.events, result: results[index] as AppendResult })));
      return results;
    },
  };
};
