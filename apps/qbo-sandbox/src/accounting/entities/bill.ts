// Bill: VendorRef and lines required; AP account defaulted; Balance = TotalAmt (no bill payments
// in the sandbox); duplicate bill numbers refused only when the company asks to be warned.

import { requiredParam } from '../../faults/fault-catalog.js';
import type { EntityDefinition } from '../entity-definition.js';
import { isBlank } from '../field-rules.js';
import { EXPENSE_FORM_PROPERTIES, prepareExpenseLines, refreshVendorBalances } from '../expense-lines.js';
import { findAccountsByType, resolveRef } from '../references.js';
import { applyDocNumber, applyHomeAmounts, applyTxnHeader, requireLines } from '../transaction-rules.js';

export const billDefinition: EntityDefinition = {
  name: 'Bill',
  kind: 'transaction',
  known: new Set([...EXPENSE_FORM_PROPERTIES, 'DueDate', 'SalesTermRef', 'Balance', 'HomeBalance', 'VendorAddr', 'RemitToAddr', 'TxnTaxDetail', 'GlobalTaxCalculation', 'IncludeInAnnualTPAR']),
  prepare(body, ctx, existing) {
    const out = applyTxnHeader(body, ctx);
    if (isBlank(out.VendorRef)) throw requiredParam('VendorRef');
    const vendor = resolveRef(ctx, 'Vendor', out.VendorRef, 'VendorRef');
    out.VendorRef = vendor.ref;
    if (isBlank(out.APAccountRef)) {
      const ap = findAccountsByType(ctx, 'Accounts Payable');
      if (ap.length === 0) throw requiredParam('APAccountRef');
      out.APAccountRef = { value: ap[0]!.Id, name: ap[0]!.Name };
    } else {
      out.APAccountRef = resolveRef(ctx, 'Account', out.APAccountRef, 'APAccountRef').ref;
    }
    const { lines, total } = prepareExpenseLines(requireLines(out), ctx, existing, true);
    out.Line = lines;
    out.TotalAmt = total;
    out.Balance = total;
    if (isBlank(out.DueDate)) out.DueDate = out.TxnDate;
    if (!out.VendorAddr && vendor.target.BillAddr) out.VendorAddr = vendor.target.BillAddr;
    applyDocNumber('Bill', out, ctx, existing);
    applyHomeAmounts(out, ctx);
    return out;
  },
  afterWrite(ctx, before, after) {
    refreshVendorBalances(ctx, [before?.VendorRef?.value, after?.VendorRef?.value]);
  },
};
