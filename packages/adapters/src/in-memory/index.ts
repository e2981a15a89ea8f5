// In-memory adapters, for running the application in one process: event store, record directory, sync lock.
export * from './in-memory-event-store.js';
export * from './in-memory-record-directory.js';
export * from './in-memory-sync-lock.js';
