// Intuit OAuth and the connection's infrastructure: the token service, the vault, single-flight refresh,
// health, and the module that wires them (with the connection service) for a composition root.
export * from './vault-keyring.js';
export * from './token-vault.js';
export * from './rotate-vault-key.js';
export * from './qbo-connection-config.js';
export * from './intuit-oauth-token-service.js';
export * from './oauth-state-store.js';
export * from './single-flight-token-refresher.js';
export * from './connection-health-monitor.js';
export * from './qbo-connection-module.js';
export * from './proactive-refresh.js';
export * from '../connection/connection-command-handler.js';
export * from '../connection/connection-service.js';
