export * from './test-database.js';
export * from './eventstoredb-server.js';
