// Ids that are the same every time the same thing is done: event ids (a retried append repeats them, and the
// store answers without writing twice) and ids derived from a host's idempotency key.

import { createHash } from 'node:crypto';

/** A UUID (version 8, "custom") from the parts: stable across processes and restarts. */
export const deterministicUuid = (...parts: readonly string[]): string => {
  const bytes = createHash('sha256').update(parts.join('\u001f')).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};
