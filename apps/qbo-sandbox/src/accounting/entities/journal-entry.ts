// JournalEntry: journal lines with PostingType and AccountRef; debits must equal credits; lines on
// Accounts Receivable need a Customer and on Accounts Payable a Vendor; TotalAmt = Σ debits.

import { businessValidation, invalidEnumeration, requiredParam } from '../../faults/fault-catalog.js';
import type { Body } from '../../store/company.js';
import type { EntityDefinition } from '../entity-definition.js';
import { isBlank, maxLength } from '../field-rules.js';
import { round2, toNumber } from '../money.js';
import { resolveRef } from '../references.js';
import { applyDocNumber, applyHomeAmounts, applyTxnHeader, assignLineIds, requireLines } from '../transaction-rules.js';

const known = new Set([
  'DocNumber', 'TxnDate', 'DepartmentRef', 'CurrencyRef', 'ExchangeRate', 'PrivateNote', 'Line', 'TxnTaxDetail', 'Adjustment',
  'TotalAmt', 'HomeTotalAmt', 'TransactionLocationType', 'TxnSource', 'GlobalTaxCalculation', 'Tag', 'JournalCodeRef',
]);

export const journalEntryDefinition: EntityDefinition = {
  name: 'JournalEntry',
  kind: 'transaction',
  known,
  prepare(body, ctx, existing) {
    const out = applyTxnHeader(body, ctx);
    let debit = 0;
    let credit = 0;
    out.Line = assignLineIds(requireLines(out), existing).map((line, i) => {
      if (isBlank(line.DetailType)) throw requiredParam('Line.DetailType');
      if (line.DetailType !== 'JournalEntryLineDetail') throw invalidEnumeration('Line.DetailType', String(line.DetailType));
      maxLength(line, 'Description', 4000, 'Line.Description');
      const amount = toNumber(line.Amount);
      if (amount === undefined) throw requiredParam('Line.Amount');
      const d: Body = { ...(line.JournalEntryLineDetail ?? {}) };
      if (isBlank(d.PostingType)) throw requiredParam('Line.JournalEntryLineDetail.PostingType');
      if (d.PostingType !== 'Debit' && d.PostingType !== 'Credit') throw invalidEnumeration('Line.JournalEntryLineDetail.PostingType', String(d.PostingType));
      const account = resolveRef(ctx, 'Account', d.AccountRef, 'Line.JournalEntryLineDetail.AccountRef');
      d.AccountRef = account.ref;
      const type = account.target.AccountType;
      if (d.Entity) {
        const entityType = d.Entity.Type as string;
        if (!['Customer', 'Vendor', 'Employee'].includes(entityType)) throw invalidEnumeration('Line.JournalEntryLineDetail.Entity.Type', String(entityType));
        d.Entity = { Type: entityType, EntityRef: resolveRef(ctx, entityType as 'Customer', d.Entity.EntityRef, 'Line.JournalEntryLineDetail.Entity.EntityRef').ref };
      }
      if (type === 'Accounts Receivable' && d.Entity?.Type !== 'Customer') {
        throw businessValidation(`Line ${i + 1}: a line on an Accounts Receivable account must name a Customer.`, 'Line.JournalEntryLineDetail.Entity');
      }
      if (type === 'Accounts Payable' && d.Entity?.Type !== 'Vendor') {
        throw businessValidation(`Line ${i + 1}: a line on an Accounts Payable account must name a Vendor.`, 'Line.JournalEntryLineDetail.Entity');
      }
      if (d.PostingType === 'Debit') debit += amount;
      else credit += amount;
      return { ...line, Amount: round2(amount), JournalEntryLineDetail: d };
    });
    debit = round2(debit);
    credit = round2(credit);
    if (debit === 0 && credit === 0) throw businessValidation('A journal entry needs at least one debit and one credit line.', 'Line');
    if (debit !== credit) {
      throw businessValidation(`Transaction is not balanced: debits (${debit}) must equal credits (${credit}).`, 'Line');
    }
    out.TotalAmt = debit;
    out.Adjustment = out.Adjustment === true;
    applyDocNumber('JournalEntry', out, ctx, existing);
    applyHomeAmounts(out, ctx);
    return out;
  },
};
