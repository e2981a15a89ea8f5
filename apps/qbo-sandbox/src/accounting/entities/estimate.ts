// Estimate: non-posting sales form; CustomerRef required, TxnStatus defaults to Pending.

import type { EntityDefinition } from '../entity-definition.js';
import { checkDate } from '../transaction-rules.js';
import { oneOf } from '../field-rules.js';
import { round2 } from '../money.js';
import { prepareSalesLines, txnTax } from '../sales-lines.js';
import { applyDocNumber, applyHomeAmounts, applyTxnHeader } from '../transaction-rules.js';
import { SALES_FORM_PROPERTIES, prepareSalesHeader } from './invoice.js';

export const estimateDefinition: EntityDefinition = {
  name: 'Estimate',
  kind: 'transaction',
  known: new Set([...SALES_FORM_PROPERTIES, 'ExpirationDate', 'AcceptedBy', 'AcceptedDate']),
  prepare(body, ctx, existing) {
    const out = applyTxnHeader(body, ctx);
    prepareSalesHeader(out, ctx, true);
    const { lines, subtotal, discount } = prepareSalesLines(Array.isArray(out.Line) ? out.Line : [], ctx, existing);
    out.Line = lines;
    const tax = txnTax(out);
    out.TotalAmt = round2(subtotal - discount + tax);
    oneOf(out, 'TxnStatus', ['Accepted', 'Closed', 'Pending', 'Rejected', 'Converted']);
    if (out.TxnStatus === undefined) out.TxnStatus = 'Pending';
    checkDate(out, 'ExpirationDate');
    checkDate(out, 'AcceptedDate');
    delete out.Balance;
    applyDocNumber('Estimate', out, ctx, existing);
    applyHomeAmounts(out, ctx);
    return out;
  },
};
