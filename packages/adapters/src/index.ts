// Everything that touches the world, behind the domain's ports.
export * from './event-store/in-memory-event-store.js';
export * from './event-store/postgres-event-store.js';
export * from './event-store/esdb-event-store.js';
export * from './postgres/database.js';
export * from './postgres/migrate.js';
export * from './postgres/embedded-postgres-server.js';
export * from './config/index.js';
