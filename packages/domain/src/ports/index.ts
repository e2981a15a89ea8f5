// The ports the application layer drives, named by capability; adapters implement them by technology.
export * from './record-directory.js';
export * from './qbo-accounting.js';
export * from './sync-lock.js';
export * from './token-vault.js';
export * from './oauth-authorizer.js';
export * from './oauth-states.js';
export * from './company-profile-reader.js';
export * from './token-refresher.js';
export * from './connection-status-reader.js';
