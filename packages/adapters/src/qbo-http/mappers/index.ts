// Canonical records ↔ QBO JSON, per record type.
export * from './mapping-context.js';
export { type QboObject, type QboVersion, type QboWriteBody, isVoidedTransaction, withoutDeletedSuffix } from './qbo-object.js';
export * from './address-mapper.js';
export * from './customer-mapper.js';
export * from './item-mapper.js';
export * from './invoice-mapper.js';
export * from './payment-mapper.js';
export * from './record-mappers.js';
