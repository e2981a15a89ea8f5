// Item: unique Name (≤100), Type, the account references each type needs (Inventory needs
// quantity tracking, start date and asset/income/expense accounts), Category parents.

import { businessValidation, requiredParam } from '../../faults/fault-catalog.js';
import type { Body } from '../../store/company.js';
import { pacificDate } from '../../time/pacific-time.js';
import type { EntityDefinition } from '../entity-definition.js';
import { isBlank, isTrue, maxLength, noNameSeparators, oneOf, requireField } from '../field-rules.js';
import { toNumber } from '../money.js';
import { assertNameFreeWithin, withDeletedSuffix, withoutDeletedSuffix } from '../name-uniqueness.js';
import { optionalRef, resolveRef } from '../references.js';

const known = new Set([
  'Name', 'Sku', 'Description', 'Active', 'SubItem', 'ParentRef', 'Level', 'FullyQualifiedName', 'Taxable',
  'SalesTaxIncluded', 'UnitPrice', 'RatePercent', 'Type', 'IncomeAccountRef', 'PurchaseDesc', 'PurchaseTaxIncluded',
  'PurchaseCost', 'ExpenseAccountRef', 'AssetAccountRef', 'PrefVendorRef', 'TrackQtyOnHand', 'QtyOnHand', 'InvStartDate',
  'ReorderPoint', 'SalesTaxCodeRef', 'PurchaseTaxCodeRef', 'ClassRef', 'DeferredRevenue', 'AbatementRate',
  'ReverseChargeRate', 'ServiceType', 'ItemCategoryType', 'UQCDisplayText', 'UQCId', 'TaxClassificationRef', 'Source',
]);

export const itemDefinition: EntityDefinition = {
  name: 'Item',
  kind: 'list',
  known,
  prepare(body, ctx, existing) {
    const out: Body = { ...body };
    requireField(out, 'Name');
    const name = withoutDeletedSuffix(String(out.Name).trim());
    maxLength({ Name: name }, 'Name', 100);
    noNameSeparators(name, 'Name');
    maxLength(out, 'Sku', 100);
    maxLength(out, 'Description', 4000);
    maxLength(out, 'PurchaseDesc', 4000);
    if (isBlank(out.Type)) out.Type = existing?.Type;
    requireField(out, 'Type');
    oneOf(out, 'Type', ['Inventory', 'NonInventory', 'Service', 'Category', 'Group']);
    if (out.Type === 'Group') throw businessValidation('Group (bundle) items cannot be created or changed through the API.', 'Type');
    if (existing && existing.Type !== out.Type && (existing.Type === 'Inventory' || out.Type === 'Category' || existing.Type === 'Category')) {
      throw businessValidation(`An item of type ${existing.Type} cannot become ${out.Type}.`, 'Type');
    }

    if (out.Type !== 'Category') {
      if (out.Type === 'Inventory') {
        if (!isTrue(out.TrackQtyOnHand)) throw requiredParam('TrackQtyOnHand');
        if (toNumber(out.QtyOnHand) === undefined) throw requiredParam('QtyOnHand');
        if (isBlank(out.InvStartDate)) throw requiredParam('InvStartDate');
        if (isBlank(out.AssetAccountRef)) throw requiredParam('AssetAccountRef');
        if (isBlank(out.ExpenseAccountRef)) throw requiredParam('ExpenseAccountRef');
      } else if (existing?.TrackQtyOnHand === true && out.TrackQtyOnHand === false) {
        throw businessValidation('TrackQtyOnHand cannot be turned off once it is on.', 'TrackQtyOnHand');
      }
      if ((out.Type === 'Inventory' || out.Type === 'Service') && isBlank(out.IncomeAccountRef)) throw requiredParam('IncomeAccountRef');
      if (out.Type === 'NonInventory' && isBlank(out.IncomeAccountRef) && isBlank(out.ExpenseAccountRef)) throw requiredParam('IncomeAccountRef');
      for (const f of ['IncomeAccountRef', 'ExpenseAccountRef', 'AssetAccountRef'] as const) {
        const r = optionalRef(ctx, 'Account', out[f], f);
        if (r) out[f] = r;
        else delete out[f];
      }
      const vendor = optionalRef(ctx, 'Vendor', out.PrefVendorRef, 'PrefVendorRef');
      if (vendor) out.PrefVendorRef = vendor;
      if (out.Type === 'Inventory') {
        out.TrackQtyOnHand = true;
        out.QtyOnHand = toNumber(out.QtyOnHand);
      } else {
        out.TrackQtyOnHand = false;
        delete out.QtyOnHand;
        delete out.InvStartDate;
      }
      for (const n of ['UnitPrice', 'PurchaseCost'] as const) {
        if (out[n] !== undefined) {
          const v = toNumber(out[n]);
          if (v === undefined) throw businessValidation(`${n} must be a number.`, n);
          out[n] = v;
        }
      }
      if (out.UnitPrice === undefined) out.UnitPrice = 0;
      if (out.Taxable === undefined) out.Taxable = false;
    }

    const active = out.Active === undefined ? (existing ? existing.Active !== false : true) : out.Active !== false && out.Active !== 'false';
    let fqn = name;
    let level = 0;
    if (out.ParentRef) {
      const { ref, target } = resolveRef(ctx, 'Item', out.ParentRef, 'ParentRef');
      if (target.Type !== 'Category') throw businessValidation('ParentRef must name a Category item.', 'ParentRef');
      level = Number(target.Level ?? 0) + 1;
      if (level > 4) throw businessValidation('Items can be nested at most 5 levels deep.', 'ParentRef');
      out.ParentRef = ref;
      out.SubItem = true;
      fqn = `${withoutDeletedSuffix(String(target.FullyQualifiedName ?? target.Name))}:${name}`;
    } else {
      delete out.ParentRef;
      out.SubItem = false;
    }
    out.Level = level;
    if (active) assertNameFreeWithin(ctx, 'Item', existing?.Id, fqn);
    out.Name = active ? name : withDeletedSuffix(name);
    out.FullyQualifiedName = active ? fqn : withDeletedSuffix(fqn);
    out.Active = active;
    if (out.Type === 'Inventory' && typeof out.InvStartDate !== 'string') out.InvStartDate = pacificDate(ctx.now);
    return out;
  },
};
