// Multicurrency preferences: CurrencyRef becomes required on transactions, ExchangeRate drives
// HomeTotalAmt, and the switch cannot be turned off again.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../support/sandbox-harness.js';
import { startHarness } from '../support/sandbox-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ seed: { seed: 4, customers: 1, items: 1 } });
});
afterAll(() => h.close());

describe('multicurrency', () => {
  it('is refused before it is on, required once it is on, and never turned off', async () => {
    const line = { DetailType: 'SalesItemLineDetail', Amount: 100, SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: 1, UnitPrice: 100 } };
    const foreign = await h.api('POST', '/invoice', { CustomerRef: { value: '1' }, CurrencyRef: { value: 'EUR' }, Line: [line] });
    expect(foreign.body.Fault.Error[0]).toMatchObject({ code: '6000', element: 'CurrencyRef' });

    const prefs = (await h.api('GET', '/preferences')).body.Preferences;
    const on = await h.api('POST', '/preferences', { SyncToken: prefs.SyncToken, sparse: true, CurrencyPrefs: { MultiCurrencyEnabled: true } });
    expect(on.body.Preferences.CurrencyPrefs).toEqual({ MultiCurrencyEnabled: true, HomeCurrency: { value: 'USD' } });

    expect((await h.api('POST', '/invoice', { CustomerRef: { value: '1' }, Line: [line] })).body.Fault.Error[0]).toMatchObject({ code: '2020', element: 'CurrencyRef' });
    const eur = await h.api('POST', '/invoice', { CustomerRef: { value: '1' }, CurrencyRef: { value: 'EUR' }, ExchangeRate: 1.1, Line: [line] });
    expect(eur.body.Invoice).toMatchObject({ TotalAmt: 100, HomeTotalAmt: 110, Balance: 100, HomeBalance: 110, CurrencyRef: { value: 'EUR' } });

    const off = await h.api('POST', '/preferences', { SyncToken: on.body.Preferences.SyncToken, sparse: true, CurrencyPrefs: { MultiCurrencyEnabled: false } });
    expect(off.body.Fault.Error[0].code).toBe('6000');
  });
});
