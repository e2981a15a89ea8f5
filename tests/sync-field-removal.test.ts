// A field the host removes is removed in QBO too: an update carries every mapped field, with empty values for
// those the host left out, so QBO ends up holding exactly what the host holds (an email, a phone number, an
// address line, a note).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SyncWorld, startSyncWorld } from './sync-harness.js';

let world: SyncWorld;
beforeAll(async () => {
  world = await startSyncWorld('sync_field_removal');
  await world.startWorker();
}, 60_000);
afterAll(async () => {
  await world?.close();
});

const push = async (localId: string) => {
  const end = await world.waitForRun(await world.requestSync('customer', 'push', { scope: { kind: 'ids', localIds: [localId] } }));
  expect(end).toMatchObject({ type: 'SyncCompleted', data: { outcome: 'completed' } });
};

describe('a field the host removes', () => {
  it('is cleared in QBO by the next push', async () => {
    await world.upsert('customer', 'full', {
      displayName: 'Full Record',
      email: 'full@example.com',
      phone: '+1 555 0100',
      notes: 'to be removed',
      billingAddress: { line1: '1 Main St', line2: 'Suite 9', city: 'Springfield', postalCode: '12345' },
    });
    await push('full');
    const { events } = await world.eventStore.readStream('record-acme.customer.full');
    const qboId = String((events.find((event) => event.type === 'RecordLinked')?.data as { qboId: string }).qboId);
    const before = (await world.qbo('GET', `/customer/${qboId}`)).Customer as Record<string, unknown>;
    expect(before).toMatchObject({ PrimaryEmailAddr: { Address: 'full@example.com' }, PrimaryPhone: { FreeFormNumber: '+1 555 0100' }, Notes: 'to be removed', BillAddr: { Line2: 'Suite 9' } });

    await world.upsert('customer', 'full', { displayName: 'Full Record', billingAddress: { line1: '1 Main St', city: 'Springfield', postalCode: '12345' } });
    await push('full');
    const after = (await world.qbo('GET', `/customer/${qboId}`)).Customer as Record<string, unknown>;
    expect(after.DisplayName).toBe('Full Record');
    expect((after.PrimaryEmailAddr as { Address?: string } | undefined)?.Address ?? '').toBe('');
    expect((after.PrimaryPhone as { FreeFormNumber?: string } | undefined)?.FreeFormNumber ?? '').toBe('');
    expect(after.Notes ?? '').toBe('');
    expect((after.BillAddr as { Line1?: string; Line2?: string }).Line1).toBe('1 Main St');
    expect((after.BillAddr as { Line2?: string }).Line2 ?? '').toBe('');
  }, 60_000);
});
