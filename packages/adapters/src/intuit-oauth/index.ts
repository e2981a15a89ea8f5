// Intuit OAuth and the connection's infrastructure: the token service, the Postgres token vault and OAuth
// states, the single-flight refresher, and the module that wires them (with the application's token and health
// use cases) for a composition root.
export * from './vault-keyring.js';
export * from './token-vault.js';
export * from './rotate-vault-key.js';
export * from './qbo-connection-config.js';
export * from './intuit-oauth-token-service.js';
export * from './oauth-state-store.js';
export * from './single-flight-token-refresher.js';
export * from './qbo-connection-module.js';
