// The CDC and query pagers against the sandbox process, with situations made by its clock and seeding:
// a CDC answer that hits the 1000 cap is split at its newest change and read on, a cursor older than
// CDC's 30 days falls back to a paged LastUpdatedTime query, and the query pager never asks for more
// than a page.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RemoteChange, cdcPages, queryPages, serverNow } from '@qbo-sync/adapters/qbo-http';
import { type ConnectionHarness, startConnectionHarness } from '../connection/support/connection-harness.js';

let h: ConnectionHarness;
let realmId: string;
let before: string;
beforeAll(async () => {
  h = await startConnectionHarness('sync_pagers');
  ({ realmId } = await h.connect('acme'));
  before = await serverNow({ client: h.module.client, tenantId: 'acme' });
  await h.sandbox.control('POST', '/clock', { advanceMs: 2_000 });
  // 800 customers now and 800 a minute later: a CDC read from before both is full after 1000.
  await h.sandbox.control('POST', `/realms/${realmId}/seed`, { seed: 1, customers: 800, vendors: 0, items: 0, invoices: 0 });
  await h.sandbox.control('POST', '/clock', { advanceMs: 60_000 });
  await h.sandbox.control('POST', `/realms/${realmId}/seed`, { seed: 2, customers: 800, vendors: 0, items: 0, invoices: 0 });
}, 120_000);
afterAll(async () => {
  await h?.close();
});

const drain = async (pages: AsyncGenerator<RemoteChange[], string, undefined>) => {
  const seen: RemoteChange[][] = [];
  for (;;) {
    const next = await pages.next();
    if (next.done === true) return { pages: seen, cursor: next.value };
    seen.push(next.value);
  }
};

describe('CDC pager', () => {
  it('splits a window that hit the 1000 cap at its newest change and reads the rest, missing nothing', async () => {
    const windows: { since: string; via: string; count: number }[] = [];
    const { pages, cursor } = await drain(cdcPages({ client: h.module.client, tenantId: 'acme', entity: 'Customer', since: before, nameList: true, onWindow: (w) => windows.push(w) }));
    expect(windows.map((w) => [w.via, w.count >= 1000 ? 'full' : 'rest'])).toEqual([
      ['cdc', 'full'],
      ['cdc', 'rest'],
    ]);
    expect(windows[0]?.count).toBe(1000);
    expect(Date.parse(windows[1]?.since ?? '')).toBeGreaterThan(Date.parse(before));
    const ids = new Set(pages.flat().map((change) => change.Id));
    expect(ids.size).toBe(1600);
    // The cursor is QBO's time of the last answer, after every change read.
    expect(Date.parse(cursor)).toBeGreaterThanOrEqual(Math.max(...pages.flat().map((change) => Date.parse(String((change.MetaData as { LastUpdatedTime: string }).LastUpdatedTime)))));
  });

  it('falls back to a paged LastUpdatedTime query when the cursor is older than 30 days', async () => {
    const now = Date.parse(await serverNow({ client: h.module.client, tenantId: 'acme' }));
    const old = new Date(now - 31 * 86_400_000).toISOString();
    await h.sandbox.control('DELETE', '/requests');
    const windows: { since: string; via: string; count: number }[] = [];
    const { pages, cursor } = await drain(cdcPages({ client: h.module.client, tenantId: 'acme', entity: 'Customer', since: old, nameList: true, onWindow: (w) => windows.push(w) }));
    expect(windows.map((w) => w.via)).toEqual(['query']);
    // Everything (the 25 the company started with and the 1600 seeded), in pages of at most 1000.
    expect(new Set(pages.flat().map((change) => change.Id)).size).toBe(1625);
    expect(pages.every((page) => page.length <= 1000)).toBe(true);
    expect(Date.parse(cursor)).toBeGreaterThanOrEqual(now);
    const log = (await h.sandbox.requests(realmId)) as unknown as { operation?: string; status: number }[];
    expect(log.filter((request) => request.operation === 'cdc').map((request) => request.status)).toEqual([400]);
    // Read by the paged query instead (two pages of it and the call asking QBO's time).
    expect(log.filter((request) => request.operation === 'query').length).toBeGreaterThanOrEqual(2);
  });
});

describe('query pager', () => {
  it('reads page by page, never more than a page, each row once', async () => {
    const sizes: number[] = [];
    const ids = new Set<string>();
    for await (const page of queryPages({ client: h.module.client, tenantId: 'acme', entity: 'Customer', where: ['Active IN (true, false)'], pageSize: 400 })) {
      sizes.push(page.length);
      for (const row of page) ids.add(row.Id);
    }
    expect(sizes).toEqual([400, 400, 400, 400, 25]);
    expect(ids.size).toBe(1625);
    // A page size above QBO's 1000 is held to 1000.
    const big: number[] = [];
    for await (const page of queryPages({ client: h.module.client, tenantId: 'acme', entity: 'Customer', pageSize: 5000 })) big.push(page.length);
    expect(big).toEqual([1000, 625]);
  });
});
