// QuickBooks Online over HTTP: the client (errors, limits, retries), the mappers, and the QboAccounting port.
export * from './qbo-error.js';
export * from './access-token-source.js';
export * from './qbo-client.js';
export * from './sync-write-client.js';
export * from './batch-writer.js';
export * from './query-pager.js';
export * from './cdc-pager.js';
export * from './qbo-query-text.js';
export * from './remote-lookup.js';
export * from './request-id.js';
export * from './sync-error-of.js';
export * from './item-account-defaults.js';
export * from './qbo-http-accounting.js';
export * from './mappers/index.js';
