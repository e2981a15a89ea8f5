// The embedded PostgreSQL server, on its own entry point: only the processes that start a cluster load it.
export * from './postgres/embedded-postgres-server.js';
