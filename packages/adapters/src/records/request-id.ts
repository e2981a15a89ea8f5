// Deterministic QBO requestids: base64url of the sha256 of the domain's seed, cut to QBO's limit (36 in a
// batch, 50 on single calls; 36 serves both). 216 bits of hash leave no room for a collision in practice.

import { createHash } from 'node:crypto';
import { type WriteIdentity, batchSeed, writeSeed } from '@qbo-sync/domain';

export const REQUEST_ID_MAX = 36;

export const requestIdFromSeed = (seed: string, length = REQUEST_ID_MAX): string =>
  createHash('sha256').update(seed, 'utf8').digest('base64url').slice(0, length);

/** The requestid of a single write, and the bId of that write inside a batch. */
export const writeRequestId = (write: WriteIdentity): string => requestIdFromSeed(writeSeed(write));

/** The requestid of a batch call holding these writes. */
export const batchRequestId = (writes: readonly WriteIdentity[]): string => requestIdFromSeed(batchSeed(writes));
