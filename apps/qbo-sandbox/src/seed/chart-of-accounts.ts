// The accounts every new sandbox company starts with, like a fresh QBO company: enough for items
// (income, COGS, inventory asset), payments (Undeposited Funds), AR/AP, bank and expenses.

export const CHART_OF_ACCOUNTS: Array<{ Name: string; AccountType: string; AccountSubType: string }> = [
  { Name: 'Checking', AccountType: 'Bank', AccountSubType: 'Checking' },
  { Name: 'Savings', AccountType: 'Bank', AccountSubType: 'Savings' },
  { Name: 'Accounts Receivable (A/R)', AccountType: 'Accounts Receivable', AccountSubType: 'AccountsReceivable' },
  { Name: 'Undeposited Funds', AccountType: 'Other Current Asset', AccountSubType: 'UndepositedFunds' },
  { Name: 'Inventory Asset', AccountType: 'Other Current Asset', AccountSubType: 'Inventory' },
  { Name: 'Accounts Payable (A/P)', AccountType: 'Accounts Payable', AccountSubType: 'AccountsPayable' },
  { Name: 'Visa', AccountType: 'Credit Card', AccountSubType: 'CreditCard' },
  { Name: 'Sales Tax Payable', AccountType: 'Other Current Liability', AccountSubType: 'SalesTaxPayable' },
  { Name: 'Opening Balance Equity', AccountType: 'Equity', AccountSubType: 'OpeningBalanceEquity' },
  { Name: 'Retained Earnings', AccountType: 'Equity', AccountSubType: 'RetainedEarnings' },
  { Name: 'Services', AccountType: 'Income', AccountSubType: 'ServiceFeeIncome' },
  { Name: 'Sales of Product Income', AccountType: 'Income', AccountSubType: 'SalesOfProductIncome' },
  { Name: 'Discounts given', AccountType: 'Income', AccountSubType: 'DiscountsRefundsGiven' },
  { Name: 'Cost of Goods Sold', AccountType: 'Cost of Goods Sold', AccountSubType: 'SuppliesMaterialsCogs' },
  { Name: 'Advertising', AccountType: 'Expense', AccountSubType: 'AdvertisingPromotional' },
  { Name: 'Office Expenses', AccountType: 'Expense', AccountSubType: 'OfficeGeneralAdministrativeExpenses' },
  { Name: 'Utilities', AccountType: 'Expense', AccountSubType: 'Utilities' },
  { Name: 'Rent or Lease', AccountType: 'Expense', AccountSubType: 'RentOrLeaseOfBuildings' },
  { Name: 'Interest Earned', AccountType: 'Other Income', AccountSubType: 'InterestEarned' },
  { Name: 'Miscellaneous', AccountType: 'Other Expense', AccountSubType: 'OtherMiscellaneousExpense' },
];
