// The record types, their canonical schemas, and the decider of a record's stream.
export * from './record-type.js';
export * from './record-stream.js';
export * from './record-events.js';
export * from './address.js';
export * from './customer.js';
export * from './item.js';
export * from './invoice.js';
export * from './payment.js';
export * from './canonical-record.js';
export * from './computed-fields.js';
export * from './void-rules.js';
export * from './record-commands.js';
export * from './record-errors.js';
export * from './record-decider.js';
export * from './qbo-claim.js';
export * from './record-directory-entry.js';
