// Ids that are the same every time the same thing is done: event ids (a retried append repeats them and
// the store answers without writing twice) and QBO requestids (a resent write is replayed, not redone).

import { createHash } from 'node:crypto';

const digest = (parts: readonly string[]): Buffer => createHash('sha256').update(parts.join('\u001f')).digest();

/** A UUID (version 8, "custom") from the parts: stable across processes and restarts. */
export const deterministicUuid = (...parts: readonly string[]): string => {
  const bytes = digest(parts).subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};

/** QBO keeps at most 36 characters of a requestid on /batch (50 elsewhere); 36 fits both. */
export const REQUEST_ID_LENGTH = 36;

/**
 * The requestid of one write: derived from who writes what, at which local revision and QBO generation,
 * never from time or chance, so a crash and a restart send the very same id again.
 */
export const deterministicRequestId = (...parts: readonly string[]): string =>
  `qs${digest(parts).toString('base64url').replace(/[-_]/g, 'x').slice(0, REQUEST_ID_LENGTH - 2)}`;
