// The opaque cursor of a record's history pages: it names the stream revision of the last entry read and
// nothing else, so a caller cannot mistake it for a feed cursor (each carries its own prefix).

const PREFIX = 'history:';
// A stream revision is a Postgres bigint: a larger one would reach the store as an error, not as a 400.
const MAX_REVISION = 9_223_372_036_854_775_807n;

export const encodeHistoryCursor = (revision: bigint): string => Buffer.from(`${PREFIX}${revision}`).toString('base64url');

/** The revision a history cursor names; null when it is not one this api made. */
export const decodeHistoryCursor = (cursor: string): bigint | null => {
  if (!/^[A-Za-z0-9_-]{1,48}$/.test(cursor)) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(PREFIX)) return null;
  const digits = text.slice(PREFIX.length);
  if (!/^[0-9]{1,19}$/.test(digits)) return null;
  const revision = BigInt(digits);
  return revision <= MAX_REVISION ? revision : null;
};
