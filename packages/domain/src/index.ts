// The domain: pure types, schemas and decisions. Nothing here performs I/O, reads a clock or draws randomness.
export * from './event-store/index.js';
export * from './shared/index.js';
export * from './connection/index.js';
export * from './records/index.js';
export * from './settings/index.js';
export * from './sync/index.js';
export * from './ports/index.js';
