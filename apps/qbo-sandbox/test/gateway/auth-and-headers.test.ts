// The gateway in front of the Accounting API: the lower-case 401 with www-authenticate, 403 for a
// token of another company, intuit_tid on every response, minorversion accepted.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../support/sandbox-harness.js';
import { fixture, startHarness, itWithFixtures } from '../support/sandbox-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ companies: 2 });
});
afterAll(() => h.close());

const expect401 = async (res: Awaited<ReturnType<Harness['api']>>, detail: string | RegExp) => {
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toBe('Bearer realm="Intuit", error="invalid_token"');
  const recorded = fixture('fault_401_authentication_lowercase.json');
  const { time, fault, ...rest } = res.body;
  const { time: _t, fault: recordedFault, ...recordedRest } = recorded;
  expect(rest).toEqual(recordedRest);
  expect(typeof time).toBe('number');
  expect(fault.type).toBe(recordedFault.type);
  expect(Object.keys(fault.error[0]).sort()).toEqual(Object.keys(recordedFault.error[0]).sort());
  expect(fault.error[0]).toMatchObject({ message: recordedFault.error[0].message, code: '3200', element: null });
  expect(fault.error[0].detail).toMatch(detail);
};

describe('gateway', () => {
  itWithFixtures('answers a missing or malformed token with the recorded lower-case 401', async () => {
    await expect401(await h.api('GET', '/customer/1', undefined, { token: 'x' }), 'Malformed bearer token: too short or too long');
    const noAuth = await fetch(`${h.sandbox.accountingBaseUrl}${h.realmId}/customer/1`);
    expect(noAuth.status).toBe(401);
  });

  itWithFixtures('answers an expired token with "Token expired" once the clock passes its hour', async () => {
    const token = h.sandbox.oauthServer.mintTokens({ realmId: h.realmId }).access_token;
    expect((await h.api('GET', '/companyinfo/' + h.realmId, undefined, { token })).status).toBe(200);
    h.sandbox.clock.advance(3601_000);
    try {
      await expect401(await h.api('GET', '/companyinfo/' + h.realmId, undefined, { token }), /^Token expired: /);
    } finally {
      h.sandbox.clock.advance(-3601_000);
    }
  });

  it('answers a token for another company with 403 / 3100', async () => {
    const [, other] = h.sandbox.realms();
    const res = await h.api('GET', `/companyinfo/${other}`, undefined, { realmId: other!, token: h.token });
    expect(res.status).toBe(403);
    expect(res.body.Fault.Error[0]).toMatchObject({ code: '3100' });
    // Each company sees only its own records.
    await h.api('POST', '/customer', { DisplayName: 'Only in the first' });
    const inOther = await h.api('GET', "/query?query=select%20*%20from%20Customer%20where%20DisplayName%20%3D%20'Only%20in%20the%20first'", undefined, { realmId: other! });
    expect(inOther.body.QueryResponse).toEqual({});
  });

  it('puts intuit_tid on every response, accepts minorversion and format=json', async () => {
    const ok = await h.api('GET', `/preferences?minorversion=75&format=json`);
    expect(ok.status).toBe(200);
    const bad = await h.api('GET', '/customer/1', undefined, { token: 'nope' });
    const control = await fetch(`${h.sandbox.controlsUrl}/realms`);
    for (const r of [ok.headers, bad.headers, control.headers]) expect(r.get('intuit_tid')).toMatch(/^1-[0-9a-f]+-[0-9a-f]+$/);
  });
});
