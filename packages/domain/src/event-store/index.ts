export * from './event.js';
export * from './event-store.js';
export * from './stream-name.js';
export * from './aggregate.js';
export * from './wrong-expected-revision-error.js';
export * from './duplicate-event-id-error.js';
export * from './event-store-unavailable-error.js';
export * from './append-rules.js';
