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
export * from './connection/connection-deps.js';
export * from './connection/connection-flow-error.js';
export * from './connection/handle-connection-command.js';
export * from './connection/begin-authorization.js';
export * from './connection/complete-authorization.js';
export * from './connection/disconnect.js';
export * from './connection/check-realm-grants.js';
export * from './connection/reconnect-hint.js';
export * from './connection/get-connection-status.js';
export { type AccessGrant, type RefreshReason, type TokenDeps, TOKEN_REFRESHER, refreshTokens } from './connection/refresh-tokens.js';
export * from './connection/get-access-token.js';
export * from './connection/refresh-after-rejection.js';
export * from './connection/refresh-if-due.js';
export * from './connection/refresh-due-tokens.js';
export * from './connection/connection-tokens.js';
export * from './connection/record-call-outcomes.js';
export * from './connection/connection-health-monitor.js';
