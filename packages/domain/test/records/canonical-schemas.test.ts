// The canonical schemas: what they accept, what they refuse (naming the field), and the shape they give.

import { describe, expect, it } from 'vitest';
import { canonicalSchemas, customerSchema, invoiceSchema, itemSchema, paymentSchema, paymentStatusOf, recordReferences } from '../../src/index.js';

const issuesOf = (result: { success: boolean; error?: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } }) =>
  (result.error?.issues ?? []).map((issue) => `${issue.path.join('.')}: ${issue.message}`);

describe('customer schema', () => {
  it('builds the display name from given and family name when the host sends none', () => {
    expect(customerSchema.parse({ givenName: 'Amy', familyName: 'Lauterbach' })).toEqual({ displayName: 'Amy Lauterbach', givenName: 'Amy', familyName: 'Lauterbach', active: true });
  });

  it('keeps the display name the host sends, and treats null as absent', () => {
    const parsed = customerSchema.parse({ displayName: "Amy's Bird Sanctuary", givenName: 'Amy', email: null, phone: null });
    expect(parsed).toEqual({ displayName: "Amy's Bird Sanctuary", givenName: 'Amy', active: true });
    expect(Object.keys(parsed).filter((key) => (parsed as Record<string, unknown>)[key] === undefined)).toEqual(expect.any(Array));
  });

  it('refuses a colon in the display name, naming the field and the reason', () => {
    const result = customerSchema.safeParse({ displayName: 'Parent:Child' });
    expect(result.success).toBe(false);
    expect(issuesOf(result)).toEqual([expect.stringMatching(/^displayName: must not contain a colon/)]);
  });

  it('refuses a colon that arrives through the given name too', () => {
    expect(issuesOf(customerSchema.safeParse({ givenName: 'A:B' }))).toEqual([expect.stringMatching(/^displayName: .*colon/)]);
  });

  it('accepts hostile but legal names: quotes, unicode, exactly 500 characters', () => {
    for (const name of [`O'Brien "Bob" & Sons`, 'Café Zürich — ‘curly’ 東京', 'x'.repeat(500)]) {
      expect(customerSchema.parse({ displayName: name }).displayName).toBe(name);
    }
    expect(issuesOf(customerSchema.safeParse({ displayName: 'x'.repeat(501) }))).toEqual(['displayName: must be at most 500 characters']);
  });

  it('refuses tabs and line breaks, unknown fields, bad email, and a record with no name at all', () => {
    expect(issuesOf(customerSchema.safeParse({ displayName: 'a\tb' }))).toEqual(['displayName: must not contain a tab or a line break']);
    expect(issuesOf(customerSchema.safeParse({ displayName: 'a', emial: 'x' }))).toEqual([expect.stringContaining('emial')]);
    expect(issuesOf(customerSchema.safeParse({ displayName: 'a', email: 'not-an-email' }))).toEqual(['email: must be an email address']);
    expect(issuesOf(customerSchema.safeParse({}))).toEqual(['displayName: is required when givenName and familyName are both absent']);
  });
});

describe('item schema', () => {
  it('accepts an inventory item and refuses inventory fields on a service', () => {
    expect(itemSchema.parse({ name: 'Pump', type: 'inventory', quantityOnHand: 25, salesPrice: 15 })).toMatchObject({ name: 'Pump', active: true });
    expect(issuesOf(itemSchema.safeParse({ name: 'Design', type: 'service', quantityOnHand: 1 }))).toEqual(['quantityOnHand: is only for items of type "inventory"']);
    expect(issuesOf(itemSchema.safeParse({ name: 'a:b', type: 'service' }))).toEqual([expect.stringMatching(/^name: must not contain a colon/)]);
    expect(issuesOf(itemSchema.safeParse({ name: 'a', type: 'bundle' }))).toEqual([expect.stringMatching(/^type: /)]);
  });
});

describe('invoice schema', () => {
  const invoice = { customerLocalId: 'c1', issueDate: '2026-04-08', lines: [{ itemLocalId: 'i1', unitPrice: 9.5, quantity: 5 }] };
  it('defaults quantity, voided, and needs a line and a real date', () => {
    expect(invoiceSchema.parse({ ...invoice, lines: [{ unitPrice: 3 }] })).toMatchObject({ voided: false, lines: [{ quantity: 1, unitPrice: 3 }] });
    expect(issuesOf(invoiceSchema.safeParse({ ...invoice, lines: [] }))).toEqual(['lines: must hold at least one line']);
    expect(issuesOf(invoiceSchema.safeParse({ ...invoice, issueDate: '2026-02-30' }))).toEqual(['issueDate: must be a real calendar date']);
    expect(issuesOf(invoiceSchema.safeParse({ ...invoice, number: 'x'.repeat(22) }))).toEqual(['number: must be at most 21 characters']);
  });

  it('derives paid, unpaid and partial from Balance and TotalAmt', () => {
    expect(paymentStatusOf(362.07, 362.07)).toBe('unpaid');
    expect(paymentStatusOf(362.07, 100)).toBe('partial');
    expect(paymentStatusOf(362.07, 0)).toBe('paid');
    expect(paymentStatusOf(0, 0)).toBe('paid');
  });

  it('names the customer and the items it depends on', () => {
    const parsed = invoiceSchema.parse({ ...invoice, lines: [{ itemLocalId: 'i1', unitPrice: 1 }, { itemLocalId: 'i1', unitPrice: 2 }, { unitPrice: 3 }] });
    expect(recordReferences('invoice', parsed)).toEqual([{ type: 'customer', localId: 'c1' }, { type: 'item', localId: 'i1' }]);
  });
});

describe('payment schema', () => {
  it('refuses applying more than the amount, and one invoice twice', () => {
    const base = { customerLocalId: 'c1', amount: 100, date: '2026-05-05' };
    expect(paymentSchema.parse(base)).toMatchObject({ invoices: [], voided: false });
    expect(issuesOf(paymentSchema.safeParse({ ...base, invoices: [{ invoiceLocalId: 'a', amount: 100.01 }] }))).toEqual([expect.stringMatching(/^invoices: apply 100.01/)]);
    expect(issuesOf(paymentSchema.safeParse({ ...base, invoices: [{ invoiceLocalId: 'a', amount: 1 }, { invoiceLocalId: 'a', amount: 1 }] }))).toEqual(['invoices.1.invoiceLocalId: names invoice "a" twice']);
    expect(issuesOf(paymentSchema.safeParse({ ...base, amount: 1.001 }))).toEqual(['amount: must have at most two decimal places']);
    expect(recordReferences('payment', paymentSchema.parse({ ...base, invoices: [{ invoiceLocalId: 'a', amount: 1 }] }))).toEqual([
      { type: 'customer', localId: 'c1' },
      { type: 'invoice', localId: 'a' },
    ]);
  });

  it('is reachable by type name', () => {
    expect(Object.keys(canonicalSchemas).sort()).toEqual(['customer', 'invoice', 'item', 'payment']);
    expect(canonicalSchemas.payment).toBe(paymentSchema);
  });
});
