// EventStoreDB adapters: the event store.
export * from './esdb-event-store.js';
