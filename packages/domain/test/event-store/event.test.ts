import { describe, expect, it } from 'vitest';
import { categoryOf, comparePositions, isAfter, streamName } from '../../src/index.js';

describe('log positions', () => {
  it('order by commit, then prepare', () => {
    expect(comparePositions({ commit: 1n, prepare: 9n }, { commit: 2n, prepare: 0n })).toBe(-1);
    expect(comparePositions({ commit: 2n, prepare: 3n }, { commit: 2n, prepare: 1n })).toBe(1);
    expect(comparePositions({ commit: 2n, prepare: 3n }, { commit: 2n, prepare: 3n })).toBe(0);
  });
  it('treat a null checkpoint as before everything', () => {
    expect(isAfter({ commit: 0n, prepare: 0n }, null)).toBe(true);
    expect(isAfter({ commit: 1n, prepare: 1n }, { commit: 1n, prepare: 1n })).toBe(false);
  });
});

describe('stream names', () => {
  it('split the category on the first dash', () => {
    expect(categoryOf(streamName('record', 't1.customer.a-b'))).toBe('record');
  });
  it('refuse a category holding a dash', () => {
    expect(() => streamName('sync-run', 'x')).toThrow(/no dash/);
  });
});
