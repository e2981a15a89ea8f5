// Which properties a WHERE clause may use, per entity (REFERENCE.md §2 "filterable", plus the
// obvious name fields). Filtering on anything else is refused (4001), the strict reading of an
// unconfirmed Intuit rule. ORDERBY may use any property.

import type { EntityName } from '../store/entity-name.js';

const COMMON = ['Id', 'MetaData.CreateTime', 'MetaData.LastUpdatedTime'];
const PEOPLE = ['DisplayName', 'GivenName', 'MiddleName', 'FamilyName', 'CompanyName', 'PrimaryEmailAddr', 'PrintOnCheckName', 'Active', 'Balance', 'Title', 'Suffix'];
const TXN = ['DocNumber', 'TxnDate', 'TotalAmt', 'CurrencyRef'];

const FIELDS: Record<EntityName, string[]> = {
  Customer: [...PEOPLE, 'FullyQualifiedName', 'Job', 'ParentRef', 'BalanceWithJobs'],
  Vendor: [...PEOPLE, 'Vendor1099'],
  Employee: [...PEOPLE.filter((f) => f !== 'Balance' && f !== 'CompanyName'), 'EmployeeNumber'],
  Item: ['Name', 'Sku', 'Type', 'FullyQualifiedName', 'Active', 'ParentRef', 'SubItem', 'QtyOnHand', 'UnitPrice'],
  Account: ['Name', 'AccountType', 'AccountSubType', 'Classification', 'SubAccount', 'FullyQualifiedName', 'Active', 'CurrentBalance', 'CurrentBalanceWithSubAccounts', 'AcctNum', 'ParentRef'],
  Invoice: [...TXN, 'CustomerRef', 'Balance', 'DueDate', 'EmailStatus', 'PrintStatus'],
  Payment: [...TXN, 'CustomerRef', 'PaymentRefNum', 'UnappliedAmt'],
  SalesReceipt: [...TXN, 'CustomerRef', 'PaymentRefNum'],
  Estimate: [...TXN, 'CustomerRef', 'TxnStatus', 'ExpirationDate'],
  PurchaseOrder: [...TXN, 'VendorRef', 'POStatus'],
  Bill: [...TXN, 'VendorRef', 'Balance', 'DueDate'],
  JournalEntry: [...TXN, 'Adjustment'],
  CompanyInfo: [],
  Preferences: [],
};

const lowerSets = new Map<EntityName, Map<string, string>>(
  (Object.keys(FIELDS) as EntityName[]).map((e) => [e, new Map([...COMMON, ...FIELDS[e]].map((f) => [f.toLowerCase(), f]))]),
);

/** The canonical spelling of a filterable field (names are case-insensitive), or undefined. */
export const filterableField = (entity: EntityName, field: string): string | undefined => lowerSets.get(entity)!.get(field.toLowerCase());
