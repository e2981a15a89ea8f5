// Entry point of the worker process: runs background jobs from the graphile-worker queue until stopped.

import { runService } from '@qbo-sync/adapters/config';
import { TOKENS, type Worker, createWorkerContainer } from './composition-root.js';
import { loadWorkerConfig } from './config.js';

await runService({ name: 'worker' }, async () => {
  const worker = createWorkerContainer(loadWorkerConfig(process.env)).get<Worker>(TOKENS.Worker);
  await worker.start();
  return { stop: () => worker.stop(), ended: worker.ended };
});
