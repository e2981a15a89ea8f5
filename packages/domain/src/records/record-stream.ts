// One stream per local record: `record-{tenant}.{type}.{localId}`. The tenant and type hold no dot, so
// the first two dots split the id back out, whatever the host's local id holds.

import { streamName } from '../event-store/stream-name.js';
import type { RecordType } from './record-type.js';

export const RECORD_CATEGORY = 'record';

export const recordStreamName = (tenantId: string, type: RecordType, localId: string): string =>
  streamName(RECORD_CATEGORY, `${tenantId}.${type}.${localId}`);

export const parseRecordStreamName = (
  name: string,
): { readonly tenantId: string; readonly type: string; readonly localId: string } | null => {
  const prefix = `${RECORD_CATEGORY}-`;
  if (!name.startsWith(prefix)) return null;
  const rest = name.slice(prefix.length);
  const first = rest.indexOf('.');
  const second = first === -1 ? -1 : rest.indexOf('.', first + 1);
  if (second === -1) return null;
  return { tenantId: rest.slice(0, first), type: rest.slice(first + 1, second), localId: rest.slice(second + 1) };
};

/** The local id given to a record first seen in QBO (a mirror), so pulls are deterministic too. */
export const mirrorLocalId = (qboId: string): string => `qbo-${qboId}`;
