// graphile-worker adapters: the dispatcher that turns SyncRequested into jobs, and the worker heartbeat.
export * from './sync-dispatcher.js';
export * from './worker-heartbeat.js';
