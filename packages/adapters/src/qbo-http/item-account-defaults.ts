// The company's default item accounts (income, cost of goods sold, inventory asset), which an item push needs
// when the record names none. Looked up once per tenant and process: they do not change under a running sync.

import type { ItemAccountDefaults } from './mappers/mapping-context.js';
import type { QboClient } from './qbo-client.js';

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

/** Per tenant, found at the first push that needs them and kept for the process. */
export const itemAccountDefaultsCache = (client: QboClient) => {
  const found = new Map<string, Promise<ItemAccountDefaults | undefined>>();
  return (tenantId: string): Promise<ItemAccountDefaults | undefined> => {
    let defaults = found.get(tenantId);
    if (defaults === undefined) {
      defaults = findItemAccountDefaults(client, tenantId);
      // A failed lookup is tried again by the next push, not remembered.
      defaults.catch(() => found.delete(tenantId));
      found.set(tenantId, defaults);
    }
    return defaults;
  };
};
