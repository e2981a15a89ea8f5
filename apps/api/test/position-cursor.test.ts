// The api's opaque paging cursors: a round trip gives the position back; one kind's cursor, a forged one or a
// position beyond PostgreSQL's bigint decodes to null (a 400 at the route, never a database error).

import { describe, expect, it } from 'vitest';
import { feedCursor, historyCursor } from '../src/http/position-cursor.js';

describe('position cursors', () => {
  it('give back the position they were made from', () => {
    for (const position of [0n, 9n, 10n, 9_223_372_036_854_775_807n]) expect(feedCursor.decode(feedCursor.encode(position))).toBe(position);
  });
  it('refuse another kind’s cursor, forged text and positions past a bigint', () => {
    expect(historyCursor.decode(feedCursor.encode(5n))).toBeNull();
    expect(feedCursor.decode('not a cursor')).toBeNull();
    expect(feedCursor.decode(Buffer.from('feed:-1').toString('base64url'))).toBeNull();
    expect(feedCursor.decode(Buffer.from('feed:9223372036854775808').toString('base64url'))).toBeNull();
    expect(feedCursor.decode('A'.repeat(49))).toBeNull();
  });
});
