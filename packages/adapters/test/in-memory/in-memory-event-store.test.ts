import { createInMemoryEventStore } from '../../src/in-memory/in-memory-event-store.js';
import { describeEventStoreContract } from '../support/event-store-contract.js';

describeEventStoreContract('in memory', async () => {
  const store = createInMemoryEventStore();
  return {
    store,
    holdAppend: (stream, events) => store.holdAppend(stream, events),
    globallyUniqueEventIds: true,
    teardown: () => store.close(),
  };
});
