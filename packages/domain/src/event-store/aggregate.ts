// Folding a read stream into state: shared by every adapter's aggregateStream so they cannot drift apart.

import type { AggregateResult, Evolver, ReadStreamResult, SubscriptionFilter } from './event-store.js';
import { categoryOf } from './stream-name.js';
import type { RecordedEvent } from './event.js';

export const foldStream = <State, Event extends RecordedEvent>(
  read: ReadStreamResult,
  { initialState, evolve }: Evolver<State, Event>,
): AggregateResult<State> => ({
  state: (read.events as readonly Event[]).reduce(evolve, initialState()),
  currentRevision: read.currentRevision,
});

/** True when an event passes a subscription filter. */
export const matchesFilter = (
  event: { readonly streamName: string; readonly type: string },
  filter: SubscriptionFilter | undefined,
): boolean =>
  (filter?.categories === undefined || filter.categories.includes(categoryOf(event.streamName))) &&
  (filter?.eventTypes === undefined || filter.eventTypes.includes(event.type));
