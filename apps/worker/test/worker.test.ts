// The worker on real Postgres: it migrates graphile-worker's schema, runs a queued job to completion,
// and stops cleanly; a bad setting stops it naming the variable.

import { createTestDatabase } from '@qbo-sync/adapters/testing';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { TOKENS, type Worker, createWorkerContainer } from '../src/composition-root.js';
import { loadWorkerConfig } from '../src/config.js';

describe('worker', () => {
  it('takes a noop job from the queue and completes it', async () => {
    const database = await createTestDatabase('worker');
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const config = loadWorkerConfig({ DATABASE_URL: database.url, WORKER_POLL_INTERVAL_MS: '100' });
    const worker = createWorkerContainer(config, { logger }).get<Worker>(TOKENS.Worker);
    const runner = await worker.start();
    try {
      const succeeded = new Promise<string>((resolve) => runner.events.on('job:success', ({ job }) => resolve(job.task_identifier)));
      const job = await runner.addJob('noop', { hello: 'world' });
      await expect(succeeded).resolves.toBe('noop');
      expect(lines.some((line) => line.includes(`noop job ${job.id} ran`))).toBe(true);
    } finally {
      await worker.stop();
      await database.drop();
    }
    expect(lines.some((line) => line.includes('worker stopped'))).toBe(true);
  });

  it('rejects bad settings naming the variable', () => {
    expect(() => loadWorkerConfig({})).toThrow(/DATABASE_URL: is required/);
    expect(() => loadWorkerConfig({ DATABASE_URL: 'postgres://x@h/db', WORKER_CONCURRENCY: '0' })).toThrow(/WORKER_CONCURRENCY: must be above 0/);
    expect(() => loadWorkerConfig({ DATABASE_URL: 'postgres://x@h/db', WORKER_SCHEMA: 'Drop Table' })).toThrow(/WORKER_SCHEMA: must be a lower-case SQL identifier/);
  });
});
