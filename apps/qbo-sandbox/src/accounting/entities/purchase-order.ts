// PurchaseOrder: non-posting; VendorRef and an AP account (implied when the company has exactly one)
// required; item- or account-based expense lines; POStatus Open|Closed.

import { requiredParam } from '../../faults/fault-catalog.js';
import type { EntityDefinition } from '../entity-definition.js';
import { isBlank, oneOf } from '../field-rules.js';
import { prepareExpenseLines, EXPENSE_FORM_PROPERTIES } from '../expense-lines.js';
import { findAccountsByType, resolveRef } from '../references.js';
import { applyDocNumber, applyHomeAmounts, applyTxnHeader } from '../transaction-rules.js';

export const purchaseOrderDefinition: EntityDefinition = {
  name: 'PurchaseOrder',
  kind: 'transaction',
  known: new Set([...EXPENSE_FORM_PROPERTIES, 'POStatus', 'POEmail', 'ShipAddr', 'ShipMethodRef', 'Memo', 'CustomField', 'EmailStatus', 'ShipTo', 'DueDate']),
  prepare(body, ctx, existing) {
    const out = applyTxnHeader(body, ctx);
    if (isBlank(out.VendorRef)) throw requiredParam('VendorRef');
    out.VendorRef = resolveRef(ctx, 'Vendor', out.VendorRef, 'VendorRef').ref;
    if (isBlank(out.APAccountRef)) {
      const ap = findAccountsByType(ctx, 'Accounts Payable');
      if (ap.length !== 1) throw requiredParam('APAccountRef');
      out.APAccountRef = { value: ap[0]!.Id, name: ap[0]!.Name };
    } else {
      out.APAccountRef = resolveRef(ctx, 'Account', out.APAccountRef, 'APAccountRef').ref;
    }
    const { lines, total } = prepareExpenseLines(Array.isArray(out.Line) ? out.Line : [], ctx, existing, false);
    out.Line = lines;
    out.TotalAmt = total;
    oneOf(out, 'POStatus', ['Open', 'Closed']);
    if (out.POStatus === undefined) out.POStatus = 'Open';
    if (out.EmailStatus === undefined) out.EmailStatus = 'NotSet';
    applyDocNumber('PurchaseOrder', out, ctx, existing);
    applyHomeAmounts(out, ctx);
    return out;
  },
};
