// Deterministic requestids: the same write gives the same id in every process; any component that changes
// (revision, generation, operation, tenant) gives another; ids fit QBO's 36-character batch limit.

import type { WriteIdentity } from '@qbo-sync/domain';
import { describe, expect, it } from 'vitest';
import { batchRequestId, writeRequestId } from '../../src/records/request-id.js';

const write: WriteIdentity = { tenantId: 't1', recordType: 'customer', localId: 'c|1"x', localRevision: 3, generation: 0, operation: 'create' };

describe('request ids', () => {
  it('is stable, 36 url-safe characters', () => {
    const id = writeRequestId(write);
    expect(id).toMatch(/^[A-Za-z0-9_-]{36}$/);
    expect(writeRequestId({ ...write })).toBe(id);
  });

  it('changes with every component', () => {
    const id = writeRequestId(write);
    const variants: WriteIdentity[] = [
      { ...write, tenantId: 't2' },
      { ...write, recordType: 'item' },
      { ...write, localId: 'c|1"y' },
      { ...write, localRevision: 4 },
      { ...write, generation: 1 },
      { ...write, operation: 'update' },
    ];
    const ids = new Set([id, ...variants.map(writeRequestId)]);
    expect(ids.size).toBe(7);
  });

  it('gives a batch the same id whatever the order of its writes, and another for other writes', () => {
    const other = { ...write, localId: 'c2' };
    expect(batchRequestId([write, other])).toBe(batchRequestId([other, write]));
    expect(batchRequestId([write, other])).not.toBe(batchRequestId([write]));
    expect(batchRequestId([write])).not.toBe(writeRequestId(write));
  });
});
