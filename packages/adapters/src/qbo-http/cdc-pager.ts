// Reads what changed in QBO since a cursor, one entity at a time, a window at a time. CDC answers at most
// 1000 objects, the oldest changes first, and takes no end time: when an answer is full, the window is
// split at the newest change it held and the rest is read as the next window (overlap is harmless: the
// pull skips a SyncToken it already knows). When one instant holds more than 1000 changes, or the cursor
// is older than CDC's 30 days, the rest is read with a paged `LastUpdatedTime` query instead.

import type { QboClient } from './qbo-client.js';
import { QboError } from './qbo-error.js';
import type { QboObject } from './mappers/qbo-object.js';
import { ACTIVE_OR_NOT, queryPages, updatedSince } from './query-pager.js';

export const CDC_MAX_OBJECTS = 1000;

/** A CDC deletion: QBO keeps only the id and when. */
export interface QboTombstone {
  readonly status: 'Deleted';
  readonly Id: string;
  readonly MetaData: { readonly LastUpdatedTime: string };
}

export type RemoteChange = QboObject | QboTombstone;

export const isTombstone = (change: RemoteChange): change is QboTombstone => (change as { status?: unknown }).status === 'Deleted';

export interface CdcPagerOptions {
  readonly client: QboClient;
  readonly tenantId: string;
  readonly entity: string;
  /** ISO-8601 with offset: changes at or after it. */
  readonly since: string;
  /** Customer, Item…: queries must ask for inactive ones too. */
  readonly nameList: boolean;
  /** How the pager read each window, for logs and tests. */
  readonly onWindow?: (window: { readonly since: string; readonly via: 'cdc' | 'query'; readonly count: number }) => void;
}

const updatedAt = (change: RemoteChange): number => Date.parse(String(change.MetaData && (change.MetaData as { LastUpdatedTime?: unknown }).LastUpdatedTime));

/** CDC refuses a changedSince more than 30 days back with fault 500 "older than fixed days". */
const isTooOld = (error: unknown): boolean => error instanceof QboError && error.code === '500' && /older than/i.test(error.message);

/**
 * Pages of changes, oldest first. Returns the cursor for the next pull: QBO's own time of the last
 * complete answer (never the local clock, which may disagree with QBO's).
 */
export async function* cdcPages(options: CdcPagerOptions): AsyncGenerator<RemoteChange[], string, undefined> {
  let since = options.since;
  for (;;) {
    let body: { CDCResponse?: Array<{ QueryResponse?: Array<Record<string, unknown>> }>; time?: string };
    try {
      body = await options.client.get(options.tenantId, '/cdc', { entities: options.entity, changedSince: since });
    } catch (error) {
      if (!isTooOld(error)) throw error;
      return yield* queryFrom(options, since, undefined);
    }
    const changes: RemoteChange[] = [];
    for (const response of body.CDCResponse?.[0]?.QueryResponse ?? []) {
      const rows = response[options.entity];
      if (Array.isArray(rows)) changes.push(...(rows as RemoteChange[]));
    }
    options.onWindow?.({ since, via: 'cdc', count: changes.length });
    const serverTime = typeof body.time === 'string' ? body.time : since;
    if (changes.length > 0) yield changes;
    if (changes.length < CDC_MAX_OBJECTS) return serverTime;
    const newest = Math.max(...changes.map(updatedAt));
    const newestIso = String((changes.find((change) => updatedAt(change) === newest) as QboTombstone).MetaData.LastUpdatedTime);
    if (!(newest > Date.parse(since))) {
      // More than 1000 changes at one instant: CDC cannot get past it; a paged query can.
      return yield* queryFrom(options, since, serverTime);
    }
    since = newestIso;
  }
}

async function* queryFrom(options: CdcPagerOptions, since: string, serverTime: string | undefined): AsyncGenerator<RemoteChange[], string, undefined> {
  // Taken before the query so that nothing changed while it ran is missed by the next pull.
  const cursor = serverTime ?? (await serverNow(options));
  let count = 0;
  for await (const page of queryPages({
    client: options.client,
    tenantId: options.tenantId,
    entity: options.entity,
    where: [updatedSince(since), ...(options.nameList ? [ACTIVE_OR_NOT] : [])],
  })) {
    count += page.length;
    yield page;
  }
  options.onWindow?.({ since, via: 'query', count });
  return cursor;
}

/** QBO's clock, from the `time` every answer carries. */
export const serverNow = async (options: { client: QboClient; tenantId: string }): Promise<string> => {
  const body = await options.client.query<{ time?: string }>(options.tenantId, 'SELECT COUNT(*) FROM CompanyInfo');
  if (typeof body.time !== 'string') throw new Error('QBO answered without its time');
  return body.time;
};
