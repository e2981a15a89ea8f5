// The opaque cursors the api hands out for paging by a position (a feed position, a stream revision): the
// position in base64url behind a prefix naming its kind, so one kind's cursor is never taken for another's,
// and anything this api did not make decodes to null (a 400, never a database error).

// Positions are PostgreSQL bigints: a larger one would reach the store as an error, not as a 400.
const MAX_POSITION = 9_223_372_036_854_775_807n;

export interface PositionCursor {
  encode(position: bigint): string;
  /** The position the cursor names; null when it is not a cursor of this kind. */
  decode(cursor: string): bigint | null;
}

export const positionCursor = (prefix: string): PositionCursor => ({
  encode: (position) => Buffer.from(`${prefix}${position}`).toString('base64url'),
  decode: (cursor) => {
    if (!/^[A-Za-z0-9_-]{1,48}$/.test(cursor)) return null;
    const text = Buffer.from(cursor, 'base64url').toString('utf8');
    if (!text.startsWith(prefix)) return null;
    const digits = text.slice(prefix.length);
    if (!/^[0-9]{1,19}$/.test(digits)) return null;
    const position = BigInt(digits);
    return position <= MAX_POSITION ? position : null;
  },
});

/** A page of the event feed resumes after a feed position. */
export const feedCursor = positionCursor('feed:');
/** A page of a record's history resumes after a stream revision. */
export const historyCursor = positionCursor('history:');
