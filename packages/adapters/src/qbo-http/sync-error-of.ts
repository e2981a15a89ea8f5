// Turns what went wrong in a call to QBO into the SyncError a RecordSyncFailed carries: QBO's kind and code
// with its fix hint, or an unexpected error with a hint to read the worker log.

import type { SyncError, SyncErrorKind } from '@qbo-sync/domain';
import { QboError } from './qbo-error.js';

export const syncErrorOf = (error: unknown): SyncError => {
  if (error instanceof QboError) {
    const network = error.code === 'network';
    return {
      kind: network ? 'network' : (error.kind as SyncErrorKind),
      qboCode: network ? null : error.code,
      message: error.message,
      hint: network ? 'QuickBooks did not answer; the write was looked up before it was tried again, so nothing was created twice. Retry the failed records.' : error.fixHint,
      retriable: error.retriable,
      intuitTid: error.intuitTid,
    };
  }
  return {
    kind: 'unknown',
    qboCode: null,
    message: error instanceof Error ? error.message : String(error),
    hint: 'an unexpected error: see the worker log for this sync id, then retry the failed records',
    retriable: true,
    intuitTid: null,
  };
};
