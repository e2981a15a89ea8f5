// State kept in a file: a second sandbox started on the same file has the same companies,
// records, counters and OAuth grants (the `pnpm start` demo keeps its company between restarts).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'qbo-sandbox-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const call = async (url: string, token: string, init: RequestInit = {}) => {
  const res = await fetch(url, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' } });
  return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
};

describe('state file', () => {
  it('survives a restart', async () => {
    const stateFile = join(dir, 'sandbox.json');
    const first = await startSandbox({ port: 0, limits: false, stateFile, companies: [{ companyName: 'Keeps Its Books', seed: { seed: 5, customers: 3, items: 2, invoices: 2 } }] });
    const realmId = first.realms()[0]!;
    const tokens = first.oauthServer.mintTokens({ realmId });
    const created = await call(`${first.accountingBaseUrl}${realmId}/customer`, tokens.access_token, { method: 'POST', body: JSON.stringify({ DisplayName: 'Persisted Person' }) });
    expect(created.status).toBe(200);
    await first.close();
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).version).toBe(1);

    const second = await startSandbox({ port: 0, limits: false, stateFile });
    try {
      expect(second.realms()).toEqual([realmId]);
      // The access token from before the restart still works: OAuth state came back too.
      const read = await call(`${second.accountingBaseUrl}${realmId}/customer/${created.body.Customer.Id}`, tokens.access_token);
      expect(read.body.Customer).toEqual(created.body.Customer);
      const next = await call(`${second.accountingBaseUrl}${realmId}/customer`, tokens.access_token, { method: 'POST', body: JSON.stringify({ DisplayName: 'After Restart' }) });
      expect(Number(next.body.Customer.Id)).toBe(Number(created.body.Customer.Id) + 1);
      const info = await call(`${second.accountingBaseUrl}${realmId}/companyinfo/${realmId}`, tokens.access_token);
      expect(info.body.CompanyInfo.CompanyName).toBe('Keeps Its Books');
    } finally {
      await second.close();
    }
  });
});
