// Deterministic requestids: the same batch call gives the same id in every process; any component of any of
// its writes that changes (revision, generation, operation, the SyncToken written over, tenant) gives another,
// and so does a resend after a definite answer; ids fit QBO's 36-character batch limit.

import type { WriteIdentity } from '@qbo-sync/domain';
import { describe, expect, it } from 'vitest';
import { batchRequestId } from '../../src/qbo-http/request-id.js';

const write: WriteIdentity = { tenantId: 't1', recordType: 'customer', localId: 'c|1"x', localRevision: 3, generation: 0, operation: 'create', over: null };

describe('request ids', () => {
  it('is stable, 36 url-safe characters', () => {
    const id = batchRequestId([write]);
    expect(id).toMatch(/^[A-Za-z0-9_-]{36}$/);
    expect(batchRequestId([{ ...write }])).toBe(id);
  });

  it('changes with every component of a write, and after a definite answer', () => {
    const variants: WriteIdentity[] = [
      { ...write, tenantId: 't2' },
      { ...write, recordType: 'item' },
      { ...write, localId: 'c|1"y' },
      { ...write, localRevision: 4 },
      { ...write, generation: 1 },
      { ...write, operation: 'update', over: '0' },
      { ...write, operation: 'update', over: '1' },
    ];
    const ids = new Set([batchRequestId([write]), ...variants.map((variant) => batchRequestId([variant])), batchRequestId([write], 1)]);
    expect(ids.size).toBe(9);
  });

  it('gives a batch the same id whatever the order of its writes, and another for other writes', () => {
    const other = { ...write, localId: 'c2' };
    expect(batchRequestId([write, other])).toBe(batchRequestId([other, write]));
    expect(batchRequestId([write, other])).not.toBe(batchRequestId([write]));
  });
});
