// CompanyInfo: one per realm (Id "1"), read and update only; addresses carry ISO-3 country codes.

import type { Body } from '../../store/company.js';
import type { EntityDefinition } from '../entity-definition.js';
import { maxLength, requireField } from '../field-rules.js';

const known = new Set([
  'CompanyName', 'LegalName', 'CompanyAddr', 'CustomerCommunicationAddr', 'LegalAddr', 'CustomerCommunicationEmailAddr',
  'PrimaryPhone', 'CompanyStartDate', 'FiscalYearStartMonth', 'Country', 'Email', 'WebAddr', 'SupportedLanguages',
  'NameValue', 'EmployerId',
]);

export const companyInfoDefinition: EntityDefinition = {
  name: 'CompanyInfo',
  kind: 'singleton',
  known,
  prepare(body, _ctx, existing) {
    const out: Body = { ...body };
    requireField(out, 'CompanyName');
    maxLength(out, 'CompanyName', 1024);
    // Read-only facts of the subscription survive any update.
    if (existing) {
      for (const f of ['CompanyStartDate', 'Country', 'SupportedLanguages', 'NameValue'] as const) {
        if (existing[f] !== undefined) out[f] = existing[f];
      }
    }
    return out;
  },
};

export const defaultCompanyInfo = (companyName: string, startDate: string): Body => ({
  CompanyName: companyName,
  LegalName: companyName,
  CompanyAddr: { Id: '1', Line1: '2500 Garcia Ave', City: 'Mountain View', CountrySubDivisionCode: 'CA', PostalCode: '94043', Country: 'USA' },
  CustomerCommunicationAddr: { Id: '1', Line1: '2500 Garcia Ave', City: 'Mountain View', CountrySubDivisionCode: 'CA', PostalCode: '94043', Country: 'USA' },
  LegalAddr: { Id: '1', Line1: '2500 Garcia Ave', City: 'Mountain View', CountrySubDivisionCode: 'CA', PostalCode: '94043', Country: 'USA' },
  PrimaryPhone: { FreeFormNumber: '(650) 555-0100' },
  CompanyStartDate: startDate,
  FiscalYearStartMonth: 'January',
  Country: 'US',
  Email: { Address: 'noreply@qbo-sandbox.local' },
  WebAddr: {},
  SupportedLanguages: 'en',
  NameValue: [
    { Name: 'NeoEnabled', Value: 'true' },
    { Name: 'IndustryType', Value: 'Landscaping Services' },
    { Name: 'SubscriptionStatus', Value: 'PAID' },
    { Name: 'OfferingSku', Value: 'QuickBooks Online Plus' },
    { Name: 'PayrollFeature', Value: 'false' },
    { Name: 'AccountantFeature', Value: 'false' },
    { Name: 'ItemCategoriesFeature', Value: 'true' },
  ],
});
