// PostgreSQL adapters: the database, migrations, the event store (with its inline projections), the write
// side's record directory, the sync lock and the shared rate limiter. Read models: ./read-models.
export * from './database.js';
export * from './migrate.js';
export * from './postgres-event-store.js';
export * from './record-directory/postgres-record-directory.js';
export * from './postgres-sync-lock.js';
export * from './postgres-rate-limiter.js';
