// Reads a QBO query page by page (STARTPOSITION / MAXRESULTS, at most 1000 a page), handing each page on
// before the next is fetched, so a pull of any size holds one page at a time.

import type { QboClient } from './qbo-client.js';
import type { QboObject } from './mappers/qbo-object.js';

export const QUERY_PAGE_MAX = 1000;

export interface QueryPagerOptions {
  readonly client: QboClient;
  readonly tenantId: string;
  /** QBO's entity name, e.g. "Customer". */
  readonly entity: string;
  /** Conditions joined with AND (QBO has no OR). */
  readonly where?: readonly string[];
  readonly pageSize?: number;
}

/** `MetaData.LastUpdatedTime >= …`: QBO compares it as an instant when the offset is given. */
export const updatedSince = (iso: string): string => `MetaData.LastUpdatedTime >= '${iso.replace(/'/g, '')}'`;

/** Name lists answer active records only unless Active is asked about. */
export const ACTIVE_OR_NOT = 'Active IN (true, false)';

export async function* queryPages(options: QueryPagerOptions): AsyncGenerator<QboObject[], void, undefined> {
  const size = Math.min(options.pageSize ?? QUERY_PAGE_MAX, QUERY_PAGE_MAX);
  const where = options.where && options.where.length > 0 ? ` WHERE ${options.where.join(' AND ')}` : '';
  for (let start = 1; ; start += size) {
    const body = await options.client.query<{ QueryResponse?: Record<string, unknown> }>(
      options.tenantId,
      `SELECT * FROM ${options.entity}${where} STARTPOSITION ${start} MAXRESULTS ${size}`,
    );
    const rows = body.QueryResponse?.[options.entity];
    const page = Array.isArray(rows) ? (rows as QboObject[]) : [];
    if (page.length > 0) yield page;
    if (page.length < size) return;
  }
}
