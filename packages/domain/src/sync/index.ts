// Sync runs and planning: the run's stream, typed errors, matching, dependency order and the planners.
export * from './sync-events.js';
export * from './sync-error.js';
export * from './request-id.js';
export * from './sync-errors.js';
export * from './sync-decider.js';
export * from './match-rules.js';
export * from './dependency-order.js';
export * from './field-diff.js';
export * from './push-planner.js';
export * from './pull-planner.js';
export * from './record-outcome.js';
export * from './pull-cursor.js';
