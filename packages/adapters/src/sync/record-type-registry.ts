// The sync engine's view of the four record types, built on their QBO mappers: entity, dependencies,
// references, matching rules (customer: email, then display name; item: SKU, then name; invoice:
// DocNumber), and the company's default item accounts, looked up once per run when an item needs them.

import type { RecordType } from '@qbo-sync/domain';
import { type ItemAccountDefaults, type ReferenceResolver, mapperFor } from '../qbo-http/mappers/index.js';
import { paidInvoiceQboIds } from '../qbo-http/mappers/payment-mapper.js';
import type { QboClient } from '../qbo-http/qbo-client.js';
import type { QboObject } from '../qbo-http/mappers/qbo-object.js';
import type { MatchRule, RecordRef, RecordTypeRegistry, RecordTypeSync } from './record-type-sync.js';

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);
const ref = (value: unknown): string | null => text((value as { value?: unknown } | undefined)?.value);
const lines = (object: QboObject): Record<string, unknown>[] => (Array.isArray(object.Line) ? (object.Line as Record<string, unknown>[]) : []);

const rule = (name: string, canonicalField: string, qboField: string, remote: (object: QboObject) => string | null): MatchRule => ({
  name,
  canonicalField,
  qboField,
  local: (record) => text(record[canonicalField]),
  remote,
});

const MATCH_RULES: Record<RecordType, readonly MatchRule[]> = {
  customer: [
    rule('email', 'email', 'PrimaryEmailAddr', (object) => text((object.PrimaryEmailAddr as { Address?: unknown } | undefined)?.Address)),
    rule('displayName', 'displayName', 'DisplayName', (object) => text(object.DisplayName)),
  ],
  item: [rule('sku', 'sku', 'Sku', (object) => text(object.Sku)), rule('name', 'name', 'Name', (object) => text(object.Name))],
  invoice: [rule('number', 'number', 'DocNumber', (object) => text(object.DocNumber))],
  payment: [],
};

const DEPENDENCIES: Record<RecordType, (record: Record<string, unknown>) => RecordRef[]> = {
  customer: () => [],
  item: () => [],
  invoice: (record) => [
    { type: 'customer', id: String(record.customerLocalId) },
    ...((record.lines as { itemLocalId?: string }[] | undefined) ?? []).flatMap((line) => (line.itemLocalId === undefined ? [] : [{ type: 'item' as const, id: line.itemLocalId }])),
  ],
  payment: (record) => [
    { type: 'customer', id: String(record.customerLocalId) },
    ...((record.invoices as { invoiceLocalId: string }[] | undefined) ?? []).map((application) => ({ type: 'invoice' as const, id: application.invoiceLocalId })),
  ],
};

const REFERENCES: Record<RecordType, (object: QboObject) => RecordRef[]> = {
  customer: () => [],
  item: () => [],
  invoice: (object) => {
    const refs: RecordRef[] = [];
    const customer = ref(object.CustomerRef);
    if (customer !== null) refs.push({ type: 'customer', id: customer });
    for (const line of lines(object)) {
      const item = ref((line.SalesItemLineDetail as { ItemRef?: unknown } | undefined)?.ItemRef);
      if (item !== null) refs.push({ type: 'item', id: item });
    }
    return refs;
  },
  payment: (object) => {
    const customer = ref(object.CustomerRef);
    return [...(customer === null ? [] : [{ type: 'customer' as const, id: customer }]), ...paidInvoiceQboIds(object as never).map((id) => ({ type: 'invoice' as const, id }))];
  },
};

/** Income, expense (COGS) and inventory asset accounts an item takes when it names none. */
export const findItemAccountDefaults = async (client: QboClient, tenantId: string): Promise<ItemAccountDefaults | undefined> => {
  const first = async (accountType: string, preferred: string) => {
    const body = await client.query<{ QueryResponse?: { Account?: { Id: string; Name: string }[] } }>(tenantId, `SELECT * FROM Account WHERE AccountType = '${accountType}' MAXRESULTS 100`);
    const accounts = body.QueryResponse?.Account ?? [];
    return (accounts.find((account) => account.Name === preferred) ?? accounts[0])?.Id;
  };
  const income = await first('Income', 'Sales of Product Income');
  const expense = await first('Cost of Goods Sold', 'Cost of Goods Sold');
  const asset = await first('Other Current Asset', 'Inventory Asset');
  if (income === undefined || expense === undefined || asset === undefined) return undefined;
  return { incomeAccountId: income, expenseAccountId: expense, assetAccountId: asset };
};

export const createRecordTypeRegistry = (context: { itemAccounts: (tenantId: string) => ItemAccountDefaults | undefined; today: () => string }): RecordTypeRegistry => {
  const entry = (type: RecordType): RecordTypeSync => {
    const mapper = mapperFor(type);
    return {
      type,
      entity: mapper.entity,
      nameList: mapper.removal === 'deactivate',
      toQbo: (record, qboIdOf, tenantId) => {
        const refs: ReferenceResolver = { qboIdOf: (refType, localId) => qboIdOf({ type: refType, id: localId }) ?? undefined, localIdOf: () => undefined };
        const itemAccounts = context.itemAccounts(tenantId);
        return mapper.toQbo(record, { refs, today: context.today(), ...(itemAccounts ? { itemAccounts } : {}) });
      },
      fromQbo: (object, localIdOf) => {
        const refs: ReferenceResolver = { qboIdOf: () => undefined, localIdOf: (refType, qboId) => localIdOf({ type: refType, id: qboId }) };
        return { record: mapper.fromQbo(object as never, { refs }), status: mapper.status(object as never) };
      },
      dependencies: DEPENDENCIES[type],
      references: REFERENCES[type],
      matchRules: MATCH_RULES[type],
    };
  };
  return { customer: entry('customer'), item: entry('item'), invoice: entry('invoice'), payment: entry('payment') };
};
