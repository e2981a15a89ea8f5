// The content hash: the same content hashes the same whatever the key order; any change of value changes it.

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash } from '../../src/shared/content-hash.js';

describe('content hash', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined }, e: null })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1,"e":null}');
  });

  it('is the sha256 hex of the canonical JSON, independent of key order', () => {
    const hash = contentHash({ displayName: 'Amy', active: true });
    expect(hash).toBe(createHash('sha256').update('{"active":true,"displayName":"Amy"}').digest('hex'));
    expect(contentHash({ active: true, displayName: 'Amy', email: undefined })).toBe(hash);
    expect(contentHash({ active: false, displayName: 'Amy' })).not.toBe(hash);
    expect(contentHash({ displayName: 'Amy ', active: true })).not.toBe(hash);
  });

  it('hashes unicode by its UTF-8 bytes and refuses NaN', () => {
    expect(contentHash({ n: 'Zürich' })).toBe(createHash('sha256').update('{"n":"Zürich"}', 'utf8').digest('hex'));
    expect(() => contentHash({ n: Number.NaN })).toThrow(/NaN/);
  });
});
