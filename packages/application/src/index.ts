// The application layer: one folder per capability, one file per use case. Use cases read and write the log
// through the EventStore port (every event through a decider), and reach QBO and the write side's indexes
// through the domain's ports. Nothing here imports kysely, pg or express.
export * from './shared/command-context.js';
export * from './shared/content-hash.js';
export * from './shared/deterministic-id.js';
export * from './shared/handle-command.js';
export * from './shared/logger.js';
export * from './records/upsert-record.js';
export * from './records/delete-record.js';
export * from './records/resolve-conflict.js';
export * from './records/get-record-state.js';
export * from './settings/change-sync-settings.js';
export * from './syncs/sync-request-errors.js';
export * from './syncs/request-sync.js';
export * from './syncs/retry-failed-records.js';
export * from './syncs/sync-deps.js';
export * from './syncs/sync-run.js';
export * from './syncs/run-sync.js';
export { settingsReader } from './syncs/push/run-push.js';
export * from './syncs/read-sync-request.js';
