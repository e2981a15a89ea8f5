// Reads the company preferences that change rule behaviour (numbering, duplicate warnings, currency).

import type { Body, Company } from '../store/company.js';

const prefs = (company: Company): Body => company.records.get('Preferences')?.get('1')?.object ?? {};

export const customTxnNumbers = (company: Company): boolean => prefs(company).SalesFormsPrefs?.CustomTxnNumbers === true;

export const otherPref = (company: Company, name: string): string | undefined => {
  const list = prefs(company).OtherPrefs?.NameValue as Array<{ Name: string; Value: string }> | undefined;
  return list?.find((nv) => nv.Name === name)?.Value;
};

export const multiCurrency = (company: Company): { enabled: boolean; home: string } => {
  const c = prefs(company).CurrencyPrefs ?? {};
  return { enabled: c.MultiCurrencyEnabled === true, home: (c.HomeCurrency?.value as string | undefined) ?? 'USD' };
};
