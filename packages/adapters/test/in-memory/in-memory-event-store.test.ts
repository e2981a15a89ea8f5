import { randomUUID } from 'node:crypto';
import type { NewEvent, RecordedEvent, StreamAppend } from '@qbo-sync/domain';
import { describe, expect, it } from 'vitest';
import { createInMemoryEventStore } from '../../src/in-memory/in-memory-event-store.js';
import { describeEventStoreContract } from '../support/event-store-contract.js';

describeEventStoreContract('in memory', { atomicMultiStreamAppend: true }, async () => {
  const store = createInMemoryEventStore();
  return {
    store,
    holdAppend: (stream, events) => store.holdAppend(stream, events),
    globallyUniqueEventIds: true,
    teardown: () => store.close(),
  };
});

describe('in-memory event store: onAppended', () => {
  const event = (): NewEvent => ({
    id: randomUUID(),
    type: 'Noted',
    data: {},
    metadata: {
      tenantId: 't',
      correlationId: 'c',
      causationId: null,
      actor: { type: 'system', id: 'test' },
      schemaVersion: 1,
    },
  });

  it('is called synchronously with every event an append stored, once per call, and not for a repeat', async () => {
    const handed: RecordedEvent[][] = [];
    const store = createInMemoryEventStore({ onAppended: (events) => void handed.push([...events]) });
    const appending = store.appendToStream('note-a', [event()], { expectedRevision: 'no_stream' });
    // Before the append's promise settles: the callback ran as the events were stored.
    expect(handed).toHaveLength(1);
    await appending;
    const page: StreamAppend[] = [
      { streamName: 'note-b', events: [event(), event()], expectedRevision: 'no_stream' },
      { streamName: 'note-a', events: [event()], expectedRevision: 0n },
    ];
    await store.appendToStreams(page);
    expect(handed).toHaveLength(2);
    const reads = await store.readStreams(['note-a', 'note-b']);
    expect(handed[1]).toEqual([
      ...(reads.get('note-b')?.events ?? []),
      ...(reads.get('note-a')?.events.slice(1) ?? []),
    ]);
    await store.appendToStreams(page);
    expect(handed).toHaveLength(2);
  });

  it('fails the whole append when it throws, leaving nothing stored or delivered', async () => {
    let failing = false;
    const store = createInMemoryEventStore({
      onAppended: () => {
        if (failing) throw new Error('projection failed');
      },
    });
    await store.appendToStream('kept-1', [event()]);
    failing = true;
    const page: StreamAppend[] = [
      { streamName: 'kept-1', events: [event()], expectedRevision: 0n },
      { streamName: 'lost-1', events: [event(), event()], expectedRevision: 'no_stream' },
    ];
    await expect(store.appendToStreams(page)).rejects.toThrow('projection failed');
    const reads = await store.readStreams(['kept-1', 'lost-1']);
    expect(reads.get('kept-1')?.currentRevision).toBe(0n);
    expect(reads.get('lost-1')?.streamExists).toBe(false);
    failing = false;
    // The same call now succeeds: its ids and revisions were released, not half kept.
    expect((await store.appendToStreams(page)).map((result) => result.nextExpectedRevision)).toEqual([1n, 1n]);
    const seen: RecordedEvent[] = [];
    const subscription = store.subscribe({ from: 'start' });
    for await (const batch of subscription) {
      seen.push(...batch);
      if (seen.length >= 4) break;
    }
    await subscription.stop();
    expect(seen.map((recorded) => recorded.streamName)).toEqual(['kept-1', 'kept-1', 'lost-1', 'lost-1']);
    expect(seen.map((recorded) => recorded.id).slice(1)).toEqual(
      page.flatMap((append) => append.events.map((e) => e.id)),
    );
  });
});
