// Entry point of the projector process: builds the read models from the event log until stopped.

import { runService } from '@qbo-sync/adapters/config';
import type { EventStore } from '@qbo-sync/domain';
import type pg from 'pg';
import { type Projector, TOKENS, createProjectorContainer } from './composition-root.js';
import { loadProjectorConfig } from './config.js';

await runService({ name: 'projector' }, async () => {
  const container = createProjectorContainer(loadProjectorConfig(process.env));
  const projector = container.get<Projector>(TOKENS.Projector);
  await projector.start();
  return {
    stop: async () => {
      await projector.stop();
      // The event store reads through the pool, so it closes first.
      await container.get<EventStore>(TOKENS.EventStore).close();
      await container.get<pg.Pool>(TOKENS.Pool).end();
    },
  };
});
