// Brings a database to the latest schema. Safe to run from several processes at once: kysely's migrator
// holds a lock table while it works.

import { type Kysely, Migrator } from 'kysely';
import { migrations } from './migrations/index.js';

export const migrateToLatest = async (db: Kysely<unknown>): Promise<void> => {
  // Unordered: migrations written in parallel may land in a database already past a later number.
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error !== undefined || failed !== undefined) {
    throw new Error(
      `migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
};
