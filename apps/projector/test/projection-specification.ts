// Given/when/then for projections, shared by every projection's spec: given a history written through the
// event store port (or the use cases that write through it), when the projection has caught up with the real
// runner, then the read model holds these rows; and a rebuild from zero gives the very same rows. Each spec
// then reads as its history, its assertions on the read model and one line for the rebuild.

import type { EventStore } from '@qbo-sync/domain';
import { type Kysely, sql } from 'kysely';
import { expect } from 'vitest';
import { readCheckpoint } from '../src/checkpoint.js';
import type { Projection } from '../src/projection.js';
import { startProjectionRunner } from '../src/projection-runner.js';
import { rebuildProjection } from '../src/rebuild-projection.js';
import { type ProjectorTestDb, quietLogger, waitFor } from './support.js';

export interface ProjectionSpecification {
  /** Writes the history (through the store the spec was given) and projects it. */
  given(history: (store: EventStore) => Promise<unknown>): Promise<void>;
  /** Runs each projection with the real runner until it has applied the last event of the log it wants. */
  whenProjected(): Promise<void>;
  /** Rebuilds each projection from zero, projects again and expects `rows()` to equal what it read before. */
  thenRebuildGivesTheSameRows(rows: () => Promise<unknown>): Promise<void>;
}

/** The position of the newest event a projection wants (its filter's categories and types), if any. */
const headFor = async (db: Kysely<unknown>, projection: Projection): Promise<bigint | null> => {
  const categories = projection.filter?.categories;
  const eventTypes = projection.filter?.eventTypes;
  const { rows } = await sql<{ prepare: string }>`
    select global_position::text as prepare from events
    where true
      ${categories === undefined ? sql`` : sql`and category = any(${categories as string[]})`}
      ${eventTypes === undefined ? sql`` : sql`and event_type = any(${eventTypes as string[]})`}
    order by transaction_id desc, global_position desc limit 1`.execute(db);
  return rows[0] === undefined ? null : BigInt(rows[0].prepare);
};

export const projectionSpecification = (
  context: () => { readonly test: ProjectorTestDb; readonly store: EventStore },
  projections: readonly Projection[],
): ProjectionSpecification => {
  const whenProjected = async (): Promise<void> => {
    const { test, store } = context();
    for (const projection of projections) {
      const head = await headFor(test.db as unknown as Kysely<unknown>, projection);
      if (head === null) continue;
      const runner = startProjectionRunner({
        db: test.db,
        connectionString: test.url,
        eventStore: store,
        projection,
        logger: quietLogger,
      });
      try {
        await waitFor(
          `${projection.name} to catch up`,
          async () => (await readCheckpoint(test.db, projection.name))?.prepare === head,
        );
      } finally {
        await runner.stop();
      }
    }
  };
  return {
    given: async (history) => {
      await history(context().store);
    },
    whenProjected,
    thenRebuildGivesTheSameRows: async (rows) => {
      const live = await rows();
      for (const projection of projections) await rebuildProjection(context().test.db, projection);
      // The reset must have emptied what the projections own; otherwise equal rows afterwards would prove nothing.
      expect(await rows()).not.toEqual(live);
      await whenProjected();
      expect(await rows()).toEqual(live);
    },
  };
};
