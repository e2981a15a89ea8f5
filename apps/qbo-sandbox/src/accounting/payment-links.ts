// Money that payments apply to invoices, kept consistent on both sides: an invoice's Balance and its
// Payment LinkedTxn follow the payments that name it (and its SyncToken moves when they change, as
// in QBO); customer balances follow open invoices minus unapplied payments.

import { pacificSeconds } from '../time/pacific-time.js';
import type { Body, QboObject } from '../store/company.js';
import { recordsOf } from '../store/company.js';
import { round2 } from './money.js';
import type { WriteContext } from './write-context.js';

export const appliedLinesOf = (payment: Body): Array<{ invoiceId: string; amount: number }> =>
  ((payment.Line as Body[] | undefined) ?? []).flatMap((line) =>
    ((line.LinkedTxn as Body[] | undefined) ?? [])
      .filter((t) => t.TxnType === 'Invoice')
      .map((t) => ({ invoiceId: String(t.TxnId), amount: Number(line.Amount ?? 0) })),
  );

/** Per payment id, what it applies to this invoice, leaving out one payment (the one being written). */
export const paymentsApplied = (ctx: WriteContext, invoiceId: string, excludePaymentId?: string): Map<string, number> => {
  const out = new Map<string, number>();
  for (const rec of recordsOf(ctx.company, 'Payment').values()) {
    if (rec.object.Id === excludePaymentId) continue;
    for (const a of appliedLinesOf(rec.object)) {
      if (a.invoiceId === invoiceId && a.amount !== 0) out.set(rec.object.Id, round2((out.get(rec.object.Id) ?? 0) + a.amount));
    }
  }
  return out;
};

const sum = (m: Map<string, number>) => round2([...m.values()].reduce((a, b) => a + b, 0));

/** Balance and LinkedTxn of an invoice as its payments make them (non-payment links are kept). */
export const invoicePaymentState = (ctx: WriteContext, invoice: Body, invoiceId: string | undefined) => {
  const applied = invoiceId ? paymentsApplied(ctx, invoiceId) : new Map<string, number>();
  const others = ((invoice.LinkedTxn as Body[] | undefined) ?? []).filter((t) => t.TxnType !== 'Payment');
  return {
    applied: sum(applied),
    linked: [...others, ...[...applied.keys()].map((id) => ({ TxnId: id, TxnType: 'Payment' }))],
  };
};

/** After payments changed: bring each named invoice's Balance and links up to date (bumping its SyncToken). */
export const refreshInvoices = (ctx: WriteContext, invoiceIds: Iterable<string>): void => {
  const invoices = recordsOf(ctx.company, 'Invoice');
  for (const id of new Set(invoiceIds)) {
    const rec = invoices.get(id);
    if (!rec) continue;
    const inv = rec.object;
    const { applied, linked } = invoicePaymentState(ctx, inv, id);
    const balance = round2(Number(inv.TotalAmt ?? 0) - applied);
    const sameLinks = JSON.stringify(linked) === JSON.stringify(inv.LinkedTxn ?? []);
    if (balance === inv.Balance && sameLinks) continue;
    const next: QboObject = {
      ...inv,
      LinkedTxn: linked,
      Balance: balance,
      SyncToken: String(Number(inv.SyncToken) + 1),
      MetaData: { ...inv.MetaData, LastUpdatedTime: pacificSeconds(ctx.now) },
    };
    if (inv.HomeBalance !== undefined) next.HomeBalance = round2(balance * Number(inv.ExchangeRate ?? 1));
    invoices.set(id, { ...rec, object: next, updatedAt: ctx.now.getTime() });
    ctx.changes.push({ entity: 'Invoice', id, operation: 'Update' });
  }
};

/** Customer Balance = open invoice balances − unapplied payments (a read-only field, no SyncToken change). */
export const refreshCustomerBalances = (ctx: WriteContext, customerIds: Iterable<string | undefined>): void => {
  const customers = recordsOf(ctx.company, 'Customer');
  for (const id of new Set([...customerIds].filter((x): x is string => !!x))) {
    const rec = customers.get(id);
    if (!rec) continue;
    let balance = 0;
    for (const r of recordsOf(ctx.company, 'Invoice').values()) {
      if (r.object.CustomerRef?.value === id) balance += Number(r.object.Balance ?? 0);
    }
    for (const r of recordsOf(ctx.company, 'Payment').values()) {
      if (r.object.CustomerRef?.value === id) balance -= Number(r.object.UnappliedAmt ?? 0);
    }
    balance = round2(balance);
    if (balance !== rec.object.Balance) {
      customers.set(id, { ...rec, object: { ...rec.object, Balance: balance, BalanceWithJobs: balance } });
    }
  }
};
