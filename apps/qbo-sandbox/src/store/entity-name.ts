// The entity types this emulator serves, and how their names appear in URLs and queries.

export const ENTITY_NAMES = [
  'Customer',
  'Vendor',
  'Employee',
  'Item',
  'Account',
  'Invoice',
  'Payment',
  'SalesReceipt',
  'Estimate',
  'PurchaseOrder',
  'Bill',
  'JournalEntry',
  'CompanyInfo',
  'Preferences',
] as const;

export type EntityName = (typeof ENTITY_NAMES)[number];

const byLower = new Map<string, EntityName>(ENTITY_NAMES.map((n) => [n.toLowerCase(), n]));

/** Entity names are case-insensitive in queries and CDC; URL segments must already be lower-case. */
export const entityByLowerName = (name: string): EntityName | undefined => byLower.get(name.toLowerCase());

export const NAME_LIST_ENTITIES: ReadonlySet<EntityName> = new Set(['Customer', 'Vendor', 'Employee', 'Item', 'Account']);
export const TRANSACTION_ENTITIES: ReadonlySet<EntityName> = new Set([
  'Invoice',
  'Payment',
  'SalesReceipt',
  'Estimate',
  'PurchaseOrder',
  'Bill',
  'JournalEntry',
]);
