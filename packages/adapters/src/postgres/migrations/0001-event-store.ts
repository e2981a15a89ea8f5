// Placeholder until the Postgres event store lands in this commit series.
import type { Migration } from 'kysely';

export const eventStoreTables: Migration = {
  up: async () => undefined,
};
