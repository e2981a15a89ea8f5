// Canonical item ↔ QBO Item JSON. Accounts come from the record, else the tenant's defaults; inventory
// items get the quantity tracking and start date QBO requires.

import { type Item, type ItemType, itemSchema } from '@qbo-sync/domain';
import type { MappingContext } from './mapping-context.js';
import { parseCanonical } from './parse-canonical.js';
import { type QboObject, type QboVersion, type QboWriteBody, compact, num, refValue, str, withoutDeletedSuffix } from './qbo-object.js';

const QBO_ITEM_TYPE: Record<ItemType, string> = { inventory: 'Inventory', non_inventory: 'NonInventory', service: 'Service' };
const ITEM_TYPE_OF: Record<string, ItemType> = { Inventory: 'inventory', NonInventory: 'non_inventory', Service: 'service' };

/** Items QBO has that are not products this service syncs (categories, bundles). */
export const isSyncableItem = (qbo: QboObject): boolean => typeof qbo['Type'] === 'string' && qbo['Type'] in ITEM_TYPE_OF;

export class ItemAccountMissingError extends Error {
  override readonly name = 'ItemAccountMissingError';
  constructor(readonly account: 'income' | 'expense' | 'asset', readonly itemName: string) {
    super(`item "${itemName}" needs an ${account} account: set ${account}AccountId on the item or map a default ${account} account for the tenant`);
  }
}

export const itemToQbo = (item: Item, context: Pick<MappingContext, 'itemAccounts' | 'today'>, existing?: QboVersion): QboWriteBody => {
  const defaults = context.itemAccounts;
  const income = item.incomeAccountId ?? defaults?.incomeAccountId;
  const expense = item.expenseAccountId ?? defaults?.expenseAccountId;
  const asset = item.assetAccountId ?? defaults?.assetAccountId;
  const inventory = item.type === 'inventory';
  if (income === undefined) throw new ItemAccountMissingError('income', item.name);
  if (inventory && expense === undefined) throw new ItemAccountMissingError('expense', item.name);
  if (inventory && asset === undefined) throw new ItemAccountMissingError('asset', item.name);
  const fields = compact({
    Name: item.name,
    Description: item.description,
    Sku: item.sku,
    Type: QBO_ITEM_TYPE[item.type],
    UnitPrice: item.salesPrice,
    PurchaseCost: item.costPrice,
    IncomeAccountRef: { value: income },
    // Non-inventory items and services take an expense account only when they are also bought.
    ExpenseAccountRef: expense !== undefined && (inventory || item.costPrice !== undefined || item.expenseAccountId !== undefined) ? { value: expense } : undefined,
    AssetAccountRef: inventory ? { value: asset } : undefined,
    TrackQtyOnHand: inventory ? true : undefined,
    QtyOnHand: inventory ? (item.quantityOnHand ?? 0) : undefined,
    InvStartDate: inventory && existing === undefined ? (item.inventoryStartDate ?? context.today) : undefined,
    Active: item.active,
  });
  if (existing === undefined) return fields;
  return { Description: '', Sku: '', ...fields, Id: existing.Id, SyncToken: existing.SyncToken, sparse: true };
};

export const itemFromQbo = (qbo: QboObject): Item => {
  const type = ITEM_TYPE_OF[String(qbo['Type'])];
  const inventory = type === 'inventory';
  return parseCanonical(itemSchema, 'Item', qbo.Id, {
    name: withoutDeletedSuffix(str(qbo['Name']) ?? ''),
    description: str(qbo['Description']),
    sku: str(qbo['Sku']),
    type: type ?? String(qbo['Type']),
    salesPrice: num(qbo['UnitPrice']),
    costPrice: num(qbo['PurchaseCost']),
    quantityOnHand: inventory ? num(qbo['QtyOnHand']) : undefined,
    inventoryStartDate: inventory ? str(qbo['InvStartDate']) : undefined,
    incomeAccountId: refValue(qbo['IncomeAccountRef']),
    expenseAccountId: refValue(qbo['ExpenseAccountRef']),
    assetAccountId: inventory ? refValue(qbo['AssetAccountRef']) : undefined,
    active: qbo['Active'] !== false,
  });
};
