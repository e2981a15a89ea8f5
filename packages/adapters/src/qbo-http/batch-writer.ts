// Writes to QBO in batches of 30 (one /batch call each), every call with a deterministic requestid.
// This writer owns the retry policy of writes: a 429 waits as long as the client's limiter says (until the
// realm's window frees; a full window when another app filled it) and goes again (QBO never ran it); a call
// whose outcome is unknown (no answer, dropped connection, 5xx) is looked up in QBO item by item before
// what is still missing is sent again; retriable item faults go again up to three times with backoff;
// everything else comes back as a typed failure. Give it a client built with maxAttempts 1
// (`createSyncWriteClient`), so nothing below it repeats a write behind its back.

import { setTimeout as sleep } from 'node:timers/promises';
import type { QboObject } from './mappers/qbo-object.js';
import { QboError, qboErrorFrom } from './qbo-error.js';
import { type QboClient, throttleWaitOf } from './qbo-client.js';
import type { WriteIdentity } from '@qbo-sync/domain';
import { batchRequestId } from './request-id.js';

export const BATCH_SIZE = 30;

export type BatchOperation = 'create' | 'update' | 'delete' | 'void';

export interface BatchWrite {
  /** Unique within one writeAll call (the local id). */
  readonly key: string;
  /** QBO's entity name, e.g. "Customer". */
  readonly entity: string;
  readonly operation: BatchOperation;
  /** The entity as QBO takes it (Id and SyncToken for update, delete and void). */
  readonly body: Record<string, unknown>;
  /** What makes this write itself (tenant, type, local id, revision, generation, operation, SyncToken): its requestid derives from it. */
  readonly identity: WriteIdentity;
}


export type BatchWriteResult =
  | { readonly kind: 'written'; readonly write: BatchWrite; readonly object: QboObject; readonly requestId: string; readonly attempts: number }
  /** The answer was lost, and the lookup found the record the write had made. */
  | { readonly kind: 'found'; readonly write: BatchWrite; readonly object: QboObject; readonly requestId: string; readonly attempts: number }
  | { readonly kind: 'failed'; readonly write: BatchWrite; readonly error: QboError; readonly requestId: string; readonly attempts: number };

export interface BatchCall {
  readonly requestId: string;
  readonly size: number;
  readonly attempt: number;
  readonly outcome: 'answered' | 'unknown' | 'throttled' | 'refused';
  /** For a throttled call: how long it waits before going again. */
  readonly waitMs?: number;
}

export interface BatchWriterOptions {
  /** Writes per /batch call: 30, QBO's most; 1 for a type with no natural key QBO would refuse twice. */
  readonly chunkSize?: number;
  readonly client: QboClient;
  readonly tenantId: string;
  /** Finds the record a create made when its answer was lost; null when QBO has none. */
  readonly lookup?: (write: BatchWrite) => Promise<QboObject | null>;
  /** Tries after the first, for unknown outcomes and retriable item faults. */
  readonly maxRetries?: number;
  readonly baseDelayMs?: number;
  /** The wait after a 429 when the client did not say one (a client without the shared limiter). */
  readonly throttleWaitMs?: number;
  /** 429s tolerated per batch before its items fail as throttled. */
  readonly maxThrottles?: number;
  readonly onCall?: (call: BatchCall) => void;
}

export interface BatchWriter {
  /** Every write, in order of the input, each with its outcome. Chunks go one after the other. */
  writeAll(writes: readonly BatchWrite[]): Promise<BatchWriteResult[]>;
}

const itemOf = (write: BatchWrite, bId: string): Record<string, unknown> =>
  write.operation === 'void'
    ? { bId, operation: 'update', optionsData: 'void', [write.entity]: write.body }
    : { bId, operation: write.operation, [write.entity]: write.body };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export const createBatchWriter = (options: BatchWriterOptions): BatchWriter => {
  const maxRetries = options.maxRetries ?? 3;
  const baseDelayMs = options.baseDelayMs ?? 500;
  const throttleWaitMs = options.throttleWaitMs ?? 60_000;
  const maxThrottles = options.maxThrottles ?? 10;
  const backoff = (attempt: number) => baseDelayMs * 2 ** Math.max(0, attempt - 1) + Math.floor(Math.random() * baseDelayMs);

  const writeChunk = async (chunk: readonly BatchWrite[]): Promise<BatchWriteResult[]> => {
    const results = new Map<string, BatchWriteResult>();
    let pending = [...chunk];
    let attempt = 0;
    let throttles = 0;
    // Bumped after each definite answer: QBO keeps the first answer of a requestid (faults too), so a
    // resend after a retriable item fault needs a new id, while a resend after a lost answer keeps it.
    let answered = 0;
    while (pending.length > 0) {
      attempt += 1;
      const requestId = batchRequestId(
        pending.map((write) => write.identity),
        answered,
      );
      const fail = (writes: readonly BatchWrite[], error: QboError) => {
        for (const write of writes) results.set(write.key, { kind: 'failed', write, error, requestId, attempts: attempt });
      };
      let body: unknown;
      let intuitTid: string | null = null;
      let realmId = '';
      try {
        const response = await options.client.request({
          tenantId: options.tenantId,
          method: 'POST',
          path: '/batch',
          body: { BatchItemRequest: pending.map((write, index) => itemOf(write, String(index))) },
          batch: true,
          requestId,
        });
        body = response.body;
        intuitTid = response.intuitTid;
        realmId = response.realmId;
      } catch (error) {
        if (!(error instanceof QboError)) throw error;
        if (error.kind === 'throttle') {
          const waitMs = throttleWaitOf(error) ?? throttleWaitMs;
          options.onCall?.({ requestId, size: pending.length, attempt, outcome: 'throttled', waitMs });
          throttles += 1;
          if (throttles > maxThrottles) {
            fail(pending, error);
            break;
          }
          // A 429 was never run by QBO: the same call goes again, and it does not count as a try.
          attempt -= 1;
          await sleep(waitMs);
          continue;
        }
        if (error.kind !== 'server') {
          // The whole call was refused (auth, a malformed request): nothing was written.
          options.onCall?.({ requestId, size: pending.length, attempt, outcome: 'refused' });
          fail(pending, error);
          break;
        }
        options.onCall?.({ requestId, size: pending.length, attempt, outcome: 'unknown' });
        if (attempt > maxRetries) {
          fail(pending, error);
          break;
        }
        await sleep(backoff(attempt));
        pending = await lookUp(pending, requestId, attempt, results);
        continue;
      }
      options.onCall?.({ requestId, size: pending.length, attempt, outcome: 'answered' });
      answered += 1;
      const items = isObject(body) && Array.isArray(body.BatchItemResponse) ? (body.BatchItemResponse as unknown[]) : [];
      const byBId = new Map<string, Record<string, unknown>>();
      for (const item of items) if (isObject(item) && typeof item.bId === 'string') byBId.set(item.bId, item);
      const again: BatchWrite[] = [];
      const unanswered: BatchWrite[] = [];
      const taken: { write: BatchWrite; error: QboError }[] = [];
      pending.forEach((write, index) => {
        const item = byBId.get(String(index));
        if (item === undefined) {
          unanswered.push(write);
          return;
        }
        const object = item[write.entity];
        if (isObject(object) && typeof object.Id === 'string') {
          results.set(write.key, { kind: 'written', write, object: object as QboObject, requestId, attempts: attempt });
          return;
        }
        const error = qboErrorFrom(400, { Fault: item.Fault }, intuitTid, realmId);
        if (write.operation === 'create' && (error.kind === 'duplicate_name' || error.kind === 'duplicate_document_number')) taken.push({ write, error });
        else if (error.retriable && attempt <= maxRetries) again.push(write);
        else results.set(write.key, { kind: 'failed', write, error, requestId, attempts: attempt });
      });
      // 6240/6140: someone created it first (another worker's run pushing the same record as a dependency,
      // or our own write whose answer was lost): what the name or number finds is linked, not failed.
      for (const { write, error } of taken) {
        const found = await lookUpOne(write);
        if (found instanceof QboError || found === null) results.set(write.key, { kind: 'failed', write, error, requestId, attempts: attempt });
        else results.set(write.key, { kind: 'found', write, object: found, requestId, attempts: attempt });
      }
      if (unanswered.length > 0 && attempt > maxRetries) {
        fail(unanswered, new QboError(200, 'network', null, intuitTid, realmId, 'server'));
        unanswered.length = 0;
      }
      pending = [...again, ...(unanswered.length > 0 ? await lookUp(unanswered, requestId, attempt, results) : [])];
      if (pending.length > 0) await sleep(backoff(attempt));
    }
    return chunk.map((write) => results.get(write.key) as BatchWriteResult);
  };

  /** The record a create made, by the type's matching rule; a QboError when QBO could not be asked. */
  const lookUpOne = async (write: BatchWrite): Promise<QboObject | QboError | null> => {
    try {
      return write.operation === 'create' && options.lookup ? await options.lookup(write) : null;
    } catch (error) {
      if (!(error instanceof QboError)) throw error;
      return error;
    }
  };

  /** Before a write whose answer was lost goes again, ask QBO whether it already happened. */
  const lookUp = async (writes: readonly BatchWrite[], requestId: string, attempt: number, results: Map<string, BatchWriteResult>): Promise<BatchWrite[]> => {
    const still: BatchWrite[] = [];
    for (const write of writes) {
      const found = await lookUpOne(write);
      if (found instanceof QboError) {
        // Not knowing whether the write happened, sending it again could duplicate it: it fails (retriable),
        // and the next run matches before it creates.
        results.set(write.key, { kind: 'failed', write, error: found, requestId, attempts: attempt });
        continue;
      }
      if (found === null) still.push(write);
      else results.set(write.key, { kind: 'found', write, object: found, requestId, attempts: attempt });
    }
    return still;
  };

  return {
    writeAll: async (writes) => {
      const keys = new Set(writes.map((write) => write.key));
      if (keys.size !== writes.length) throw new Error('batch writes need distinct keys');
      const results: BatchWriteResult[] = [];
      const size = options.chunkSize ?? BATCH_SIZE;
      for (let start = 0; start < writes.length; start += size) {
        results.push(...(await writeChunk(writes.slice(start, start + size))));
      }
      return results;
    },
  };
};
