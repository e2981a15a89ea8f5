// Vendor: the person-naming rules (shared 6240 space), 1099 flag, masked tax id, read-only balance.

import type { Body } from '../../store/company.js';
import type { EntityDefinition } from '../entity-definition.js';
import { maxLength } from '../field-rules.js';
import { applyPersonNaming, currencySetOnce } from '../person-rules.js';
import { optionalRef } from '../references.js';

const known = new Set([
  'Title', 'GivenName', 'MiddleName', 'FamilyName', 'Suffix', 'DisplayName', 'CompanyName', 'PrintOnCheckName',
  'Active', 'PrimaryPhone', 'AlternatePhone', 'Mobile', 'Fax', 'PrimaryEmailAddr', 'WebAddr', 'BillAddr', 'OtherContactInfo',
  'TaxIdentifier', 'TermRef', 'Balance', 'AcctNum', 'Vendor1099', 'CurrencyRef', 'APAccountRef', 'BillRate', 'CostRate',
  'V4IDPseudonym', 'T4AEligible', 'T5018Eligible', 'GSTIN', 'BusinessNumber', 'GSTRegistrationType', 'HasTPAR',
  'TaxReportingBasis', 'VendorPaymentBankDetail', 'Source', 'Notes',
]);

export const vendorDefinition: EntityDefinition = {
  name: 'Vendor',
  kind: 'list',
  known,
  prepare(body, ctx, existing) {
    const out: Body = applyPersonNaming('Vendor', body, ctx, existing);
    maxLength(out, 'AcctNum', 100);
    out.CurrencyRef = currencySetOnce(out, existing);
    out.Vendor1099 = out.Vendor1099 === true || out.Vendor1099 === 'true';
    if (typeof out.TaxIdentifier === 'string' && !/^X+/.test(out.TaxIdentifier)) {
      // Intuit never returns a tax id in clear.
      out.TaxIdentifier = `XXXXXX${out.TaxIdentifier.slice(-4)}`;
    }
    const ap = optionalRef(ctx, 'Account', out.APAccountRef, 'APAccountRef');
    if (ap) out.APAccountRef = ap;
    out.Balance = existing?.Balance ?? 0;
    return out;
  },
};
