// The sync engine's adapters: runs, push and pull executors, the batch writer, pagers, dispatcher, heartbeat.
export * from './deterministic-id.js';
export * from './batch-writer.js';
export * from './query-pager.js';
export * from './cdc-pager.js';
export * from './qbo-query-text.js';
export * from './remote-lookup.js';
export * from './record-type-sync.js';
export * from './record-type-registry.js';
export * from './record-event-writer.js';
export * from './sync-error-of.js';
export * from './push-executor.js';
export * from './pull-executor.js';
export * from './sync-run.js';
export * from './sync-engine.js';
export * from './sync-write-client.js';
export * from './sync-dispatcher.js';
export * from './worker-heartbeat.js';
