// Account: unique Name (no '"' or ':'), AccountType and/or AccountSubType (6010 if neither),
// Classification derived from the type, sub-accounts through ParentRef.

import { accountTypeMissing, businessValidation, invalidEnumeration } from '../../faults/fault-catalog.js';
import type { Body } from '../../store/company.js';
import type { EntityDefinition } from '../entity-definition.js';
import { maxLength, requireField } from '../field-rules.js';
import { assertNameFreeWithin, withDeletedSuffix, withoutDeletedSuffix } from '../name-uniqueness.js';
import { HOME_CURRENCY } from '../person-rules.js';
import { resolveRef } from '../references.js';

export const ACCOUNT_TYPES: Record<string, { classification: string; defaultSubType: string }> = {
  Bank: { classification: 'Asset', defaultSubType: 'Checking' },
  'Accounts Receivable': { classification: 'Asset', defaultSubType: 'AccountsReceivable' },
  'Other Current Asset': { classification: 'Asset', defaultSubType: 'OtherCurrentAssets' },
  'Fixed Asset': { classification: 'Asset', defaultSubType: 'MachineryAndEquipment' },
  'Other Asset': { classification: 'Asset', defaultSubType: 'OtherLongTermAssets' },
  'Accounts Payable': { classification: 'Liability', defaultSubType: 'AccountsPayable' },
  'Credit Card': { classification: 'Liability', defaultSubType: 'CreditCard' },
  'Other Current Liability': { classification: 'Liability', defaultSubType: 'OtherCurrentLiabilities' },
  'Long Term Liability': { classification: 'Liability', defaultSubType: 'OtherLongTermLiabilities' },
  Equity: { classification: 'Equity', defaultSubType: 'OpeningBalanceEquity' },
  Income: { classification: 'Revenue', defaultSubType: 'ServiceFeeIncome' },
  'Cost of Goods Sold': { classification: 'Expense', defaultSubType: 'SuppliesMaterialsCogs' },
  Expense: { classification: 'Expense', defaultSubType: 'OtherMiscellaneousServiceCost' },
  'Other Income': { classification: 'Revenue', defaultSubType: 'OtherMiscellaneousIncome' },
  'Other Expense': { classification: 'Expense', defaultSubType: 'OtherMiscellaneousExpense' },
};

const SUBTYPE_TO_TYPE: Record<string, string> = {
  Checking: 'Bank', Savings: 'Bank', CashOnHand: 'Bank', MoneyMarket: 'Bank',
  AccountsReceivable: 'Accounts Receivable',
  UndepositedFunds: 'Other Current Asset', Inventory: 'Other Current Asset', OtherCurrentAssets: 'Other Current Asset', PrepaidExpenses: 'Other Current Asset',
  MachineryAndEquipment: 'Fixed Asset', FurnitureAndFixtures: 'Fixed Asset', Vehicles: 'Fixed Asset',
  OtherLongTermAssets: 'Other Asset',
  AccountsPayable: 'Accounts Payable',
  CreditCard: 'Credit Card',
  OtherCurrentLiabilities: 'Other Current Liability', SalesTaxPayable: 'Other Current Liability', PayrollTaxPayable: 'Other Current Liability',
  OtherLongTermLiabilities: 'Long Term Liability', NotesPayable: 'Long Term Liability',
  OpeningBalanceEquity: 'Equity', RetainedEarnings: 'Equity', OwnersEquity: 'Equity',
  SalesOfProductIncome: 'Income', ServiceFeeIncome: 'Income', DiscountsRefundsGiven: 'Income', OtherPrimaryIncome: 'Income',
  SuppliesMaterialsCogs: 'Cost of Goods Sold', CostOfLaborCos: 'Cost of Goods Sold',
  AdvertisingPromotional: 'Expense', OfficeGeneralAdministrativeExpenses: 'Expense', Utilities: 'Expense', RentOrLeaseOfBuildings: 'Expense',
  OtherMiscellaneousServiceCost: 'Expense', Travel: 'Expense', Insurance: 'Expense',
  OtherMiscellaneousIncome: 'Other Income', InterestEarned: 'Other Income',
  OtherMiscellaneousExpense: 'Other Expense', Depreciation: 'Other Expense',
};

const known = new Set([
  'Name', 'SubAccount', 'ParentRef', 'Description', 'FullyQualifiedName', 'Active', 'Classification', 'AccountType',
  'AccountSubType', 'AcctNum', 'CurrentBalance', 'CurrentBalanceWithSubAccounts', 'CurrencyRef', 'TaxCodeRef',
  'AccountAlias', 'TxnLocationType', 'OpeningBalance', 'OpeningBalanceDate',
]);

export const accountDefinition: EntityDefinition = {
  name: 'Account',
  kind: 'list',
  known,
  prepare(body, ctx, existing) {
    const out: Body = { ...body };
    requireField(out, 'Name');
    const name = withoutDeletedSuffix(String(out.Name).trim());
    maxLength({ Name: name }, 'Name', 100);
    if (/[":]/.test(name)) throw businessValidation('Account Name cannot contain a double quote (") or a colon (:).', 'Name');
    if (typeof out.AcctNum === 'string' && out.AcctNum.includes(':')) throw businessValidation('AcctNum cannot contain a colon (:).', 'AcctNum');
    maxLength(out, 'Description', 100);

    let type = out.AccountType as string | undefined;
    const subType = out.AccountSubType as string | undefined;
    if (!type && !subType) throw accountTypeMissing();
    if (!type) {
      type = SUBTYPE_TO_TYPE[subType!];
      if (!type) throw invalidEnumeration('AccountSubType', subType!);
    }
    const info = ACCOUNT_TYPES[type];
    if (!info) throw invalidEnumeration('AccountType', type);
    out.AccountType = type;
    out.AccountSubType = subType ?? info.defaultSubType;
    out.Classification = info.classification;

    const active = out.Active === undefined ? (existing ? existing.Active !== false : true) : out.Active !== false && out.Active !== 'false';
    let fqn = name;
    if (out.ParentRef) {
      const { ref, target } = resolveRef(ctx, 'Account', out.ParentRef, 'ParentRef');
      out.ParentRef = ref;
      out.SubAccount = true;
      fqn = `${withoutDeletedSuffix(String(target.FullyQualifiedName ?? target.Name))}:${name}`;
    } else {
      delete out.ParentRef;
      out.SubAccount = false;
    }
    if (active) assertNameFreeWithin(ctx, 'Account', existing?.Id, fqn);
    out.Name = active ? name : withDeletedSuffix(name);
    out.FullyQualifiedName = active ? fqn : withDeletedSuffix(fqn);
    out.Active = active;
    out.CurrencyRef = existing?.CurrencyRef ?? HOME_CURRENCY;
    out.CurrentBalance = existing?.CurrentBalance ?? 0;
    out.CurrentBalanceWithSubAccounts = existing?.CurrentBalanceWithSubAccounts ?? 0;
    return out;
  },
};
