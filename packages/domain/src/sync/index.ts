// Sync runs and planning: the run's stream, typed errors, matching, dependency order and the planners.
export * from './sync-events.js';
export * from './sync-error.js';
export * from './request-id.js';
