// The registry maps an item with its own tenant's default accounts, whatever other tenant's job runs beside it.
import { describe, expect, it } from 'vitest';
import { createRecordTypeRegistry } from '../../src/sync/record-type-registry.js';

describe('record type registry', () => {
  it("gives each tenant's items that tenant's default accounts", () => {
    const accounts = new Map([
      ['tenant-a', { incomeAccountId: 'a-income', expenseAccountId: 'a-cogs', assetAccountId: 'a-asset' }],
      ['tenant-b', { incomeAccountId: 'b-income', expenseAccountId: 'b-cogs', assetAccountId: 'b-asset' }],
    ]);
    const registry = createRecordTypeRegistry({
      itemAccounts: (tenantId) => accounts.get(tenantId),
      today: () => '2026-11-21',
    });
    const item = { name: 'Widget', type: 'service', salesPrice: 10, active: true };
    const forA = registry.item.toQbo(item, () => null, 'tenant-a');
    const forB = registry.item.toQbo(item, () => null, 'tenant-b');
    expect(forA).toMatchObject({ IncomeAccountRef: { value: 'a-income' } });
    expect(forB).toMatchObject({ IncomeAccountRef: { value: 'b-income' } });
  });
});
