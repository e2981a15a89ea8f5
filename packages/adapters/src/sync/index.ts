// The sync engine's adapters: runs, push and pull executors, the batch writer, pagers, dispatcher, heartbeat.
export * from './deterministic-id.js';
export * from '../qbo-http/batch-writer.js';
export * from '../qbo-http/query-pager.js';
export * from '../qbo-http/cdc-pager.js';
export * from '../qbo-http/qbo-query-text.js';
export * from '../qbo-http/remote-lookup.js';
export * from './record-type-sync.js';
export * from './record-type-registry.js';
export * from './record-event-writer.js';
export * from '../qbo-http/sync-error-of.js';
export * from './push-executor.js';
export * from './pull-executor.js';
export * from './sync-run.js';
export * from './sync-engine.js';
export * from '../qbo-http/sync-write-client.js';
export * from '../graphile-worker/sync-dispatcher.js';
export * from '../graphile-worker/worker-heartbeat.js';
