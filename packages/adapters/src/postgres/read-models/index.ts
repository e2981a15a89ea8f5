// The read models the projector folds from the log and the api reads: records, sync runs, sync settings and
// connection status, and the event feed. They never import the application layer.
export * from './records-read-model.js';
export * from './sync-runs-read-model.js';
export * from './sync-settings-read-model.js';
export * from './connection-status-read-model.js';
export * from './event-feed-read-model.js';
