// The ports the application layer drives, named by capability; adapters implement them by technology.
export * from './record-directory.js';
export * from './qbo-accounting.js';
export * from './sync-lock.js';
