// The mappers of every record type behind one shape, for the worker that holds only the type's name:
// canonical → QBO write body, QBO JSON → canonical, QBO's status, and how a local delete is carried out.

import { QBO_ENTITY, type CanonicalRecordOf, type RecordType, type RemoteSnapshot, type RemoteStatus } from '@qbo-sync/domain';
import { customerFromQbo, customerToQbo, nameListStatus } from './customer-mapper.js';
import { invoiceFromQbo, invoiceToQbo, transactionStatus } from './invoice-mapper.js';
import { itemFromQbo, itemToQbo } from './item-mapper.js';
import type { MappingContext } from './mapping-context.js';
import { paymentFromQbo, paymentToQbo } from './payment-mapper.js';
import type { QboObject, QboVersion, QboWriteBody } from './qbo-object.js';

export interface RecordMapper<T> {
  /** QBO's entity name, as its paths and batch items spell it. */
  readonly entity: string;
  /** The create body (no existing version) or a sparse update body (with Id and SyncToken). */
  toQbo(record: T, context: MappingContext, existing?: QboVersion): QboWriteBody;
  fromQbo(qbo: QboObject, context: MappingContext): T;
  status(qbo: QboObject): RemoteStatus;
  /** How a local delete reaches QBO: name lists are made inactive, transactions voided. */
  readonly removal: 'deactivate' | 'void';
}

type Mappers = { readonly [K in RecordType]: RecordMapper<CanonicalRecordOf[K]> };

export const recordMappers: Mappers = {
  customer: {
    entity: QBO_ENTITY.customer,
    toQbo: (record, _context, existing) => customerToQbo(record, existing),
    fromQbo: (qbo) => customerFromQbo(qbo),
    status: nameListStatus,
    removal: 'deactivate',
  },
  item: {
    entity: QBO_ENTITY.item,
    toQbo: (record, context, existing) => itemToQbo(record, context, existing),
    fromQbo: (qbo) => itemFromQbo(qbo),
    status: nameListStatus,
    removal: 'deactivate',
  },
  invoice: {
    entity: QBO_ENTITY.invoice,
    toQbo: (record, context, existing) => invoiceToQbo(record, context.refs, existing),
    fromQbo: (qbo, context) => invoiceFromQbo(qbo, context.refs),
    status: transactionStatus,
    removal: 'void',
  },
  payment: {
    entity: QBO_ENTITY.payment,
    toQbo: (record, context, existing) => paymentToQbo(record, context.refs, existing),
    fromQbo: (qbo, context) => paymentFromQbo(qbo, context.refs),
    status: transactionStatus,
    removal: 'void',
  },
};

/** Untyped access for code that holds the type only as a value. */
export const mapperFor = (type: RecordType): RecordMapper<Record<string, unknown>> => recordMappers[type] as unknown as RecordMapper<Record<string, unknown>>;

/**
 * The body that carries out a local delete: a sparse deactivation for name lists; for transactions the
 * `{Id, SyncToken}` that a void takes (`POST /invoice?operation=void`, or in a batch `operation: "update"`
 * with `optionsData: "void"`).
 */
export const removalBody = (type: RecordType, existing: QboVersion): QboWriteBody =>
  recordMappers[type].removal === 'deactivate'
    ? { Id: existing.Id, SyncToken: existing.SyncToken, sparse: true, Active: false }
    : { Id: existing.Id, SyncToken: existing.SyncToken };

/**
 * A QBO record in canonical form with its version, for RecordRemoteState / RemoteRecordChanged. A record
 * CDC reports deleted has no fields left: its snapshot holds an empty record.
 */
export const remoteSnapshotOf = (
  type: RecordType,
  qbo: QboObject,
  context: MappingContext,
  hash: (record: Record<string, unknown>) => string,
): RemoteSnapshot => {
  const mapper = mapperFor(type);
  const status = mapper.status(qbo);
  const record = status === 'deleted' ? {} : mapper.fromQbo(qbo, context);
  return {
    qboId: qbo.Id,
    syncToken: qbo.SyncToken ?? '',
    status,
    record,
    contentHash: status === 'deleted' ? '' : hash(record),
    remoteUpdatedAt: qbo.MetaData?.LastUpdatedTime ?? '',
  };
};
