// Customer: the person-naming rules, sub-customers (ParentRef, ≤4 levels), read-only balances.

import { businessValidation, invalidEnumeration } from '../../faults/fault-catalog.js';
import type { Body, QboObject } from '../../store/company.js';
import type { EntityDefinition } from '../entity-definition.js';
import { maxLength, oneOf } from '../field-rules.js';
import { applyPersonNaming, currencySetOnce } from '../person-rules.js';
import { resolveRef } from '../references.js';

const known = new Set([
  'Title', 'GivenName', 'MiddleName', 'FamilyName', 'Suffix', 'DisplayName', 'FullyQualifiedName', 'CompanyName',
  'PrintOnCheckName', 'Active', 'PrimaryPhone', 'AlternatePhone', 'Mobile', 'Fax', 'PrimaryEmailAddr', 'WebAddr',
  'DefaultTaxCodeRef', 'Taxable', 'BillAddr', 'ShipAddr', 'OtherAddr', 'Notes', 'Job', 'BillWithParent', 'ParentRef',
  'Level', 'SalesTermRef', 'PaymentMethodRef', 'Balance', 'OpenBalanceDate', 'BalanceWithJobs', 'CurrencyRef',
  'PreferredDeliveryMethod', 'ResaleNum', 'IsProject', 'V4IDPseudonym', 'ClientEntityId', 'TaxExemptionReasonId',
  'SecondaryTaxIdentifier', 'PrimaryTaxIdentifier', 'ARAccountRef', 'CustomerTypeRef', 'GSTIN', 'BusinessNumber',
  'GSTRegistrationType', 'Source',
]);

export const customerDefinition: EntityDefinition = {
  name: 'Customer',
  kind: 'list',
  known,
  prepare(body, ctx, existing) {
    const out: Body = applyPersonNaming('Customer', body, ctx, existing);
    oneOf(out, 'PreferredDeliveryMethod', ['Print', 'Email', 'None']);
    maxLength(out, 'ResaleNum', 16);
    for (const phone of ['PrimaryPhone', 'AlternatePhone', 'Mobile', 'Fax'] as const) {
      const n = out[phone]?.FreeFormNumber;
      if (typeof n === 'string' && n.length > 30) maxLength({ [phone]: n }, phone, 30, `${phone}.FreeFormNumber`);
    }
    out.CurrencyRef = currencySetOnce(out, existing);
    let level = 0;
    let fqn = out.DisplayName as string;
    if (out.ParentRef) {
      const { ref, target } = resolveRef(ctx, 'Customer', out.ParentRef, 'ParentRef');
      if (existing && target.Id === existing.Id) throw businessValidation('A customer cannot be its own parent.', 'ParentRef');
      level = Number((target as QboObject).Level ?? 0) + 1;
      if (level > 4) throw businessValidation('Sub-customers can be nested at most 4 levels below a top-level customer.', 'ParentRef');
      out.ParentRef = ref;
      fqn = `${target.FullyQualifiedName ?? target.DisplayName}:${out.DisplayName}`;
      out.Job = true;
    } else {
      delete out.ParentRef;
      out.Job = false;
    }
    if (out.Job) out.Level = level;
    else delete out.Level;
    if (out.PreferredDeliveryMethod === undefined) out.PreferredDeliveryMethod = 'Print';
    if (out.BillWithParent === undefined) out.BillWithParent = false;
    if (out.Taxable === undefined) out.Taxable = false;
    if (out.SalesTermRef) out.SalesTermRef = { value: String(out.SalesTermRef.value) };
    out.FullyQualifiedName = fqn;
    out.IsProject = false;
    out.Balance = existing?.Balance ?? 0;
    out.BalanceWithJobs = existing?.BalanceWithJobs ?? 0;
    if (out.PreferredDeliveryMethod && !['Print', 'Email', 'None'].includes(out.PreferredDeliveryMethod)) {
      throw invalidEnumeration('PreferredDeliveryMethod', String(out.PreferredDeliveryMethod));
    }
    return out;
  },
};
