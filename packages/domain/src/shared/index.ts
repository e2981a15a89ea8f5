export * from './tenant-id.js';
export * from './realm-id.js';
