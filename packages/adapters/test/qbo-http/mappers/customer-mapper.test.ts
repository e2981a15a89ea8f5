// Customer ↔ QBO: the recorded QBO payload maps to the canonical customer field by field; every mapped field
// survives canonical → QBO → canonical; updates are sparse and clear what the host dropped.

import { customerSchema } from '@qbo-sync/domain';
import { describe, expect, it } from 'vitest';
import { customerFromQbo, customerToQbo, nameListStatus, type QboObject } from '../../../src/qbo-http/mappers/index.js';
import { fixtureEntity, itWithFixtures } from './fixture.js';

const asRead = (body: Record<string, unknown>, id = '7'): QboObject => ({ ...body, Id: id, SyncToken: '0' });

describe('customer mapper', () => {
  itWithFixtures('reads the recorded QBO customer', () => {
    const qbo = fixtureEntity('customer_read.json', 'Customer');
    expect(customerFromQbo(qbo)).toEqual({
      displayName: 'Test Customer Updated Final',
      givenName: 'Amy',
      familyName: 'Lauterbach',
      companyName: "Amy's Bird Sanctuary",
      email: 'Birds@Intuit.com',
      phone: '(650) 555-3311',
      billingAddress: { line1: '4581 Finch St.', city: 'Bayshore', region: 'CA', postalCode: '94326' },
      shippingAddress: { line1: '4581 Finch St.', city: 'Bayshore', region: 'CA', postalCode: '94326' },
      currency: 'USD',
      active: true,
    });
    expect(nameListStatus(qbo)).toBe('active');
  });

  it('round-trips every mapped field', () => {
    const customer = customerSchema.parse({
      displayName: `O'Brien "Bob" — Zürich 東京`,
      givenName: 'Bob',
      familyName: "O'Brien",
      companyName: 'Bob & Sons',
      email: 'bob@example.com',
      phone: '+41 44 000 00 00',
      billingAddress: { line1: 'Bahnhofstr. 1', line2: 'Floor 2', city: 'Zürich', region: 'ZH', postalCode: '8001', country: 'CH' },
      shippingAddress: { line1: 'Dock 4', city: 'Basel', country: 'CH' },
      notes: 'Pays on the 1st',
      currency: 'CHF',
      active: false,
    });
    const body = customerToQbo(customer);
    expect(body).toEqual({
      DisplayName: customer.displayName,
      GivenName: 'Bob',
      FamilyName: "O'Brien",
      CompanyName: 'Bob & Sons',
      PrimaryEmailAddr: { Address: 'bob@example.com' },
      PrimaryPhone: { FreeFormNumber: '+41 44 000 00 00' },
      BillAddr: { Line1: 'Bahnhofstr. 1', Line2: 'Floor 2', City: 'Zürich', CountrySubDivisionCode: 'ZH', PostalCode: '8001', Country: 'CH' },
      ShipAddr: { Line1: 'Dock 4', City: 'Basel', Country: 'CH' },
      Notes: 'Pays on the 1st',
      CurrencyRef: { value: 'CHF' },
      Active: false,
    });
    // QBO reads an inactive name back with " (deleted)" after it; the canonical name has none.
    const read = asRead({ ...body, DisplayName: `${customer.displayName} (deleted)` });
    expect(customerFromQbo(read)).toEqual(customer);
    expect(nameListStatus(read)).toBe('inactive');
  });

  it('writes a sparse update with the version, clearing fields the host left out', () => {
    const body = customerToQbo(customerSchema.parse({ displayName: 'Amy' }), { Id: '1', SyncToken: '3' });
    expect(body).toMatchObject({ Id: '1', SyncToken: '3', sparse: true, DisplayName: 'Amy', Active: true, GivenName: '', PrimaryEmailAddr: { Address: '' }, Notes: '' });
    expect(body['BillAddr']).toEqual({ Line1: '', Line2: '', City: '', CountrySubDivisionCode: '', PostalCode: '', Country: '' });
    // Empty values read back as absent.
    expect(customerFromQbo(asRead(body))).toEqual({ displayName: 'Amy', active: true });
  });

  it('reports a deleted (merged) record from CDC as deleted', () => {
    expect(nameListStatus({ Id: '5', SyncToken: '', status: 'Deleted' })).toBe('deleted');
  });
});
