// Canonical invoice ↔ QBO Invoice JSON. The customer and items go through the links; line amounts are
// quantity × price rounded as QBO checks them (6070); total, balance and payment status come back from QBO.

import { type Invoice, type InvoiceLine, type RemoteStatus, invoiceSchema, paymentStatusOf } from '@qbo-sync/domain';
import { type ReferenceResolver, localIdFor, requireQboId } from './mapping-context.js';
import { parseCanonical } from './parse-canonical.js';
import {
  type QboObject,
  type QboVersion,
  type QboWriteBody,
  compact,
  isVoidedTransaction,
  noteBeforeVoid,
  num,
  obj,
  refValue,
  round2,
  str,
} from './qbo-object.js';

const isDescriptionOnly = (line: InvoiceLine): boolean => line.itemLocalId === undefined && line.quantity === 0 && line.unitPrice === 0;

const lineToQbo = (line: InvoiceLine, index: number, refs: ReferenceResolver): QboWriteBody => {
  if (isDescriptionOnly(line)) return compact({ DetailType: 'DescriptionOnly', Description: line.description, DescriptionLineDetail: {} });
  return compact({
    DetailType: 'SalesItemLineDetail',
    Description: line.description,
    Amount: round2(line.quantity * line.unitPrice),
    SalesItemLineDetail: compact({
      ItemRef: line.itemLocalId === undefined ? undefined : { value: requireQboId(refs, 'item', line.itemLocalId, `lines.${index}.itemLocalId`) },
      Qty: line.quantity,
      UnitPrice: line.unitPrice,
      TaxCodeRef: line.taxable === undefined ? undefined : { value: line.taxable ? 'TAX' : 'NON' },
    }),
  });
};

export const invoiceToQbo = (invoice: Invoice, refs: ReferenceResolver, existing?: QboVersion): QboWriteBody => {
  const lines: QboWriteBody[] = invoice.lines.map((line, index) => lineToQbo(line, index, refs));
  if (invoice.discount !== undefined) {
    lines.push({
      DetailType: 'DiscountLineDetail',
      ...('percent' in invoice.discount
        ? { DiscountLineDetail: { PercentBased: true, DiscountPercent: invoice.discount.percent } }
        : { Amount: invoice.discount.amount, DiscountLineDetail: { PercentBased: false } }),
    });
  }
  const fields = compact({
    DocNumber: invoice.number,
    CustomerRef: { value: requireQboId(refs, 'customer', invoice.customerLocalId, 'customerLocalId') },
    CurrencyRef: invoice.currency === undefined ? undefined : { value: invoice.currency },
    TxnDate: invoice.issueDate,
    DueDate: invoice.dueDate,
    Line: lines,
    TxnTaxDetail:
      invoice.taxAmount === undefined && invoice.taxCodeId === undefined
        ? undefined
        : compact({ TotalTax: invoice.taxAmount, TxnTaxCodeRef: invoice.taxCodeId === undefined ? undefined : { value: invoice.taxCodeId } }),
    CustomerMemo: invoice.memo === undefined ? undefined : { value: invoice.memo },
    PrivateNote: invoice.notes,
  });
  if (existing === undefined) return fields;
  return { CustomerMemo: { value: '' }, PrivateNote: '', ...fields, Id: existing.Id, SyncToken: existing.SyncToken, sparse: true };
};

const lineFromQbo = (line: Record<string, unknown>, refs: ReferenceResolver): InvoiceLine | undefined => {
  const detailType = line['DetailType'];
  if (detailType === 'DescriptionOnly') return compact({ description: str(line['Description']), quantity: 0, unitPrice: 0 }) as InvoiceLine;
  if (detailType !== 'SalesItemLineDetail') return undefined;
  const detail = obj(line['SalesItemLineDetail']) ?? {};
  const amount = num(line['Amount']) ?? 0;
  const quantity = num(detail['Qty']);
  const unitPrice = num(detail['UnitPrice']);
  const itemId = refValue(detail['ItemRef']);
  const taxCode = refValue(detail['TaxCodeRef']);
  return compact({
    itemLocalId: itemId === undefined ? undefined : localIdFor(refs, 'item', itemId),
    description: str(line['Description']),
    // A voided line keeps its item but loses quantity and price.
    quantity: quantity ?? (unitPrice === undefined && amount === 0 ? 0 : 1),
    unitPrice: unitPrice ?? (quantity !== undefined && quantity !== 0 ? round2(amount / quantity) : amount),
    taxable: taxCode === 'TAX' ? true : taxCode === 'NON' ? false : undefined,
  }) as InvoiceLine;
};

export const invoiceFromQbo = (qbo: QboObject, refs: ReferenceResolver): Invoice => {
  const rawLines = Array.isArray(qbo['Line']) ? (qbo['Line'] as unknown[]).map(obj).filter((line) => line !== undefined) : [];
  const discountLine = rawLines.find((line) => line['DetailType'] === 'DiscountLineDetail');
  const discountDetail = obj(discountLine?.['DiscountLineDetail']);
  const voided = isVoidedTransaction(qbo);
  const total = num(qbo['TotalAmt']) ?? 0;
  const balance = num(qbo['Balance']) ?? total;
  const tax = obj(qbo['TxnTaxDetail']);
  const taxCodeId = refValue(tax?.['TxnTaxCodeRef']);
  const totalTax = num(tax?.['TotalTax']);
  const customerId = refValue(qbo['CustomerRef']);
  return parseCanonical(invoiceSchema, 'Invoice', qbo.Id, {
    number: str(qbo['DocNumber']),
    customerLocalId: customerId === undefined ? undefined : localIdFor(refs, 'customer', customerId),
    currency: refValue(qbo['CurrencyRef']),
    issueDate: str(qbo['TxnDate']),
    dueDate: str(qbo['DueDate']),
    lines: rawLines.map((line) => lineFromQbo(line, refs)).filter((line) => line !== undefined),
    discount:
      discountLine === undefined
        ? undefined
        : discountDetail?.['PercentBased'] === true
          ? { percent: num(discountDetail['DiscountPercent']) ?? 0 }
          : { amount: num(discountLine['Amount']) ?? 0 },
    taxAmount: totalTax === undefined || (totalTax === 0 && taxCodeId === undefined) ? undefined : totalTax,
    taxCodeId,
    memo: str(obj(qbo['CustomerMemo'])?.['value']),
    notes: voided ? noteBeforeVoid(str(qbo['PrivateNote'])) : str(qbo['PrivateNote']),
    total,
    balance,
    paymentStatus: voided ? undefined : paymentStatusOf(total, balance),
    voided,
  });
};

/** Transactions are voided or deleted in QBO; a void keeps the record with zero amounts. */
export const transactionStatus = (qbo: QboObject): RemoteStatus =>
  qbo.status === 'Deleted' ? 'deleted' : isVoidedTransaction(qbo) ? 'voided' : 'active';
