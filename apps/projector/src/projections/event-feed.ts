// The event feed read model: every event of the log (no filter), numbered in log order, which the api's
// paged feed answers from. The fold lives in the adapters beside the queries the api runs on it.

import { EVENT_FEED_PROJECTION, projectEventFeed, resetEventFeed } from '@qbo-sync/adapters/read-models';
import type { Kysely } from 'kysely';
import type { Projection } from '../projection.js';

export const eventFeedProjection: Projection = {
  name: EVENT_FEED_PROJECTION,
  // The runner's transaction is typed with the projector's tables; these rows are the adapters' own.
  apply: (trx, events) => projectEventFeed(trx as unknown as Kysely<unknown>, events),
  reset: (trx) => resetEventFeed(trx as unknown as Kysely<unknown>),
};
