export * from './connection-events.js';
export * from './connection-commands.js';
export * from './connection-errors.js';
export * from './connection-health.js';
export * from './connection-decider.js';
export * from './connection-warnings.js';
export * from './connection-stream.js';
export * from './token-refresh-policy.js';
