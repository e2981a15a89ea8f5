// Preferences: one per realm (Id "1"), read and update only. Updates merge section by section, so a
// client changes the prefs it sends (CustomTxnNumbers, multicurrency, duplicate warnings) and keeps
// the others.

import { businessValidation } from '../../faults/fault-catalog.js';
import type { Body } from '../../store/company.js';
import type { EntityDefinition } from '../entity-definition.js';

const SECTIONS = [
  'AccountingInfoPrefs', 'ProductAndServicesPrefs', 'SalesFormsPrefs', 'EmailMessagesPrefs', 'PrintDocumentPrefs',
  'VendorAndPurchasesPrefs', 'TimeTrackingPrefs', 'TaxPrefs', 'CurrencyPrefs', 'ReportPrefs', 'OtherPrefs',
];

export const preferencesDefinition: EntityDefinition = {
  name: 'Preferences',
  kind: 'singleton',
  known: new Set(SECTIONS),
  prepare(body, _ctx, existing) {
    const out: Body = { ...(existing ?? {}) };
    for (const s of SECTIONS) {
      if (body[s] === undefined) continue;
      if (s === 'OtherPrefs') {
        const merged = new Map<string, string>(((existing?.OtherPrefs?.NameValue as Body[] | undefined) ?? []).map((nv) => [nv.Name, nv.Value]));
        for (const nv of (body.OtherPrefs?.NameValue as Body[] | undefined) ?? []) merged.set(String(nv.Name), String(nv.Value));
        out.OtherPrefs = { NameValue: [...merged].map(([Name, Value]) => ({ Name, Value })) };
      } else {
        out[s] = { ...(existing?.[s] ?? {}), ...body[s] };
      }
    }
    const wasMulti = existing?.CurrencyPrefs?.MultiCurrencyEnabled === true;
    if (wasMulti && out.CurrencyPrefs?.MultiCurrencyEnabled !== true) {
      throw businessValidation('Multicurrency cannot be turned off once it is on.', 'CurrencyPrefs.MultiCurrencyEnabled');
    }
    if (existing && JSON.stringify(existing.CurrencyPrefs?.HomeCurrency) !== JSON.stringify(out.CurrencyPrefs?.HomeCurrency)) {
      throw businessValidation('The home currency cannot be changed.', 'CurrencyPrefs.HomeCurrency');
    }
    for (const k of ['Id', 'SyncToken', 'MetaData', 'domain', 'sparse']) delete out[k];
    return out;
  },
};

export const defaultPreferences = (companyName: string): Body => ({
  AccountingInfoPrefs: { TrackDepartments: false, ClassTrackingPerTxn: false, ClassTrackingPerTxnLine: false, CustomerTerminology: 'Customers' },
  ProductAndServicesPrefs: { ForSales: true, ForPurchase: true, QuantityWithPriceAndRate: true, QuantityOnHand: true },
  SalesFormsPrefs: {
    CustomTxnNumbers: false,
    AllowDeposit: false,
    AllowDiscount: true,
    AllowEstimates: true,
    AllowServiceDate: false,
    AllowShipping: false,
    DefaultTerms: { value: '3' },
    UsingPriceLevels: false,
    DefaultCustomerMessage: 'Thank you for your business and have a great day!',
  },
  EmailMessagesPrefs: {
    InvoiceMessage: { Subject: `Invoice from ${companyName}`, Message: 'Your invoice is attached.' },
  },
  VendorAndPurchasesPrefs: { TrackingByCustomer: true, BillableExpenseTracking: true },
  TimeTrackingPrefs: { UseServices: true, BillCustomers: true, ShowBillRateToAll: false, WorkWeekStartDate: 'Monday', MarkTimeEntriesBillable: true },
  TaxPrefs: { UsingSalesTax: false },
  CurrencyPrefs: { MultiCurrencyEnabled: false, HomeCurrency: { value: 'USD' } },
  ReportPrefs: { ReportBasis: 'Accrual', CalcAgingReportFromTxnDate: false },
  OtherPrefs: {
    NameValue: [
      { Name: 'WarnDuplicateCheckNumber', Value: 'true' },
      { Name: 'WarnDuplicateBillNumber', Value: 'false' },
      { Name: 'WarnDuplicateJournalNumber', Value: 'false' },
      { Name: 'SalesFormsPrefs.DefaultCustomerMessage', Value: 'Thank you for your business and have a great day!' },
    ],
  },
});
