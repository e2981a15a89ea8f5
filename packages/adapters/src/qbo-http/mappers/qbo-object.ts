// The shape of a QBO entity as its JSON arrives: only what every entity has is typed; the rest is read
// field by field by each mapper, defensively (QBO omits empty fields and sends numbers as numbers or text).

export interface QboObject {
  readonly Id: string;
  readonly SyncToken: string;
  readonly MetaData?: { readonly CreateTime?: string; readonly LastUpdatedTime?: string };
  /** CDC reduces a deleted record to Id, MetaData and status "Deleted". */
  readonly status?: string;
  readonly [field: string]: unknown;
}

/** The fields of a write: Id and SyncToken only for updates. */
export type QboWriteBody = Record<string, unknown>;

/** The Id and SyncToken an update needs. */
export interface QboVersion {
  readonly Id: string;
  readonly SyncToken: string;
}

export const DELETED_SUFFIX = ' (deleted)';

/** Inactive list records read back with " (deleted)" after the name; the canonical name has none. */
export const withoutDeletedSuffix = (name: string): string => (name.endsWith(DELETED_SUFFIX) ? name.slice(0, -DELETED_SUFFIX.length) : name);

export const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

export const num = (value: unknown): number | undefined => {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
};

export const obj = (value: unknown): Record<string, unknown> | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

export const refValue = (value: unknown): string | undefined => str(obj(value)?.['value']);

/** Leaves out undefined members, so a mapped record has no keys for absent fields. */
export const compact = <T extends Record<string, unknown>>(record: T): { [K in keyof T]?: Exclude<T[K], undefined> } =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };

export const round2 = (value: number): number => Math.round((value + Number.EPSILON) * 100) / 100;

/** QBO's void: the transaction stays, amounts go to zero, and the private note starts with "Voided". */
export const isVoidedTransaction = (qbo: QboObject): boolean =>
  (str(qbo['PrivateNote']) ?? '').startsWith('Voided') && (num(qbo['TotalAmt']) ?? 0) === 0;

/** The note as it was before a void prefixed it. */
export const noteBeforeVoid = (note: string | undefined): string | undefined => {
  if (note === undefined) return undefined;
  if (note === 'Voided') return undefined;
  return note.startsWith('Voided - ') ? note.slice('Voided - '.length) || undefined : note;
};
