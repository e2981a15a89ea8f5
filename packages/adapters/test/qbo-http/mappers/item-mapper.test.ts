// Item ↔ QBO: the recorded inventory and service items map field by field; every mapped field round-trips;
// accounts fall back to the tenant's defaults, and a missing one is a clear error.

import { itemSchema } from '@qbo-sync/domain';
import { describe, expect, it } from 'vitest';
import { ItemAccountMissingError, type QboObject, isSyncableItem, itemFromQbo, itemToQbo } from '../../../src/qbo-http/mappers/index.js';
import { fixtureEntity, itWithFixtures } from './fixture.js';

const accounts = { incomeAccountId: '79', expenseAccountId: '80', assetAccountId: '81' };
const asRead = (body: Record<string, unknown>): QboObject => ({ ...body, Id: '11', SyncToken: '0' });

describe('item mapper', () => {
  itWithFixtures('reads the recorded inventory item', () => {
    expect(itemFromQbo(fixtureEntity('item_inventory_read.json', 'Item'))).toEqual({
      name: 'Pump',
      description: 'Fountain Pump',
      type: 'inventory',
      salesPrice: 15,
      costPrice: 10,
      quantityOnHand: 25,
      inventoryStartDate: '2017-01-31',
      incomeAccountId: '79',
      expenseAccountId: '80',
      assetAccountId: '81',
      active: true,
    });
  });

  itWithFixtures('reads the recorded service item', () => {
    const qbo = fixtureEntity('item_service_read.json', 'Item');
    expect(isSyncableItem(qbo)).toBe(true);
    expect(itemFromQbo(qbo)).toMatchObject({ type: 'service', active: true, name: qbo['Name'] });
  });

  it('round-trips every mapped field of an inventory item', () => {
    const item = itemSchema.parse({
      name: 'Pump “Deluxe” ½"',
      description: 'Fountain pump',
      sku: 'TAG-0042',
      type: 'inventory',
      salesPrice: 15.5,
      costPrice: 9.1234,
      quantityOnHand: 25,
      inventoryStartDate: '2026-01-01',
      incomeAccountId: '1',
      expenseAccountId: '2',
      assetAccountId: '3',
      active: true,
    });
    const body = itemToQbo(item, { itemAccounts: accounts });
    expect(body).toEqual({
      Name: item.name,
      Description: 'Fountain pump',
      Sku: 'TAG-0042',
      Type: 'Inventory',
      UnitPrice: 15.5,
      PurchaseCost: 9.1234,
      IncomeAccountRef: { value: '1' },
      ExpenseAccountRef: { value: '2' },
      AssetAccountRef: { value: '3' },
      TrackQtyOnHand: true,
      QtyOnHand: 25,
      InvStartDate: '2026-01-01',
      Active: true,
    });
    expect(itemFromQbo(asRead(body))).toEqual(item);
  });

  it('round-trips a non-inventory item and an inactive service, with the tenant default accounts', () => {
    const nonInventory = itemSchema.parse({ name: 'Gift wrap', type: 'non_inventory', salesPrice: 2 });
    const body = itemToQbo(nonInventory, { itemAccounts: accounts });
    expect(body).toEqual({ Name: 'Gift wrap', Type: 'NonInventory', UnitPrice: 2, IncomeAccountRef: { value: '79' }, Active: true });
    expect(itemFromQbo(asRead(body))).toEqual({ ...nonInventory, incomeAccountId: '79' });
    const service = itemSchema.parse({ name: 'Design', type: 'service', active: false });
    const read = asRead({ ...itemToQbo(service, { itemAccounts: accounts }), Name: 'Design (deleted)' });
    expect(itemFromQbo(read)).toEqual({ ...service, incomeAccountId: '79' });
  });

  it('defaults the inventory start date on create only, and needs the accounts', () => {
    const item = itemSchema.parse({ name: 'Bolt', type: 'inventory' });
    expect(itemToQbo(item, { itemAccounts: accounts, today: '2026-05-05' })).toMatchObject({ InvStartDate: '2026-05-05', QtyOnHand: 0 });
    expect(itemToQbo(item, { itemAccounts: accounts }, { Id: '11', SyncToken: '2' })).toMatchObject({ Id: '11', SyncToken: '2', sparse: true, Sku: '', Description: '' });
    expect(itemToQbo(item, { itemAccounts: accounts }, { Id: '11', SyncToken: '2' })).not.toHaveProperty('InvStartDate');
    expect(() => itemToQbo(item, {})).toThrow(ItemAccountMissingError);
    expect(() => itemToQbo(item, {})).toThrow(/income account/);
  });

  it('leaves out categories and bundles', () => {
    expect(isSyncableItem({ Id: '1', SyncToken: '0', Type: 'Category' })).toBe(false);
  });
});
