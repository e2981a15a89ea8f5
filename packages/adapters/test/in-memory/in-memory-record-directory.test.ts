// The record directory in memory, kept by the in-memory event store's onAppended hook: the shared contract.

import { createInMemoryEventStore } from '../../src/in-memory/in-memory-event-store.js';
import { createInMemoryRecordDirectory } from '../../src/in-memory/in-memory-record-directory.js';
import { describeRecordDirectoryContract } from '../support/record-directory-contract.js';

describeRecordDirectoryContract('in memory', async () => {
  const directory = createInMemoryRecordDirectory();
  const store = createInMemoryEventStore({ onAppended: directory.onAppended });
  return { store, directory, teardown: () => store.close() };
});
