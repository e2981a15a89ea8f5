// Deterministic QBO requestids: base64url of the sha256 of the domain's seed, cut to QBO's limit (36 in a
// batch, 50 on single calls; 36 serves both). 216 bits of hash leave no room for a collision in practice.

import { createHash } from 'node:crypto';
import { type WriteIdentity, batchSeed } from '@qbo-sync/domain';

export const REQUEST_ID_MAX = 36;

export const requestIdFromSeed = (seed: string, length = REQUEST_ID_MAX): string => createHash('sha256').update(seed, 'utf8').digest('base64url').slice(0, length);

/** The requestid of a batch call holding these writes, after `answered` definite answers to the same chunk. */
export const batchRequestId = (writes: readonly WriteIdentity[], answered = 0): string => requestIdFromSeed(batchSeed(writes, answered));
