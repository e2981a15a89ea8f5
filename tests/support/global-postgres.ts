// Vitest global setup: one PostgreSQL for the whole run. TEST_DATABASE_URL points at an existing server
// (CI uses the machine's); without it a fresh embedded cluster starts on a free port and is deleted after.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../packages/adapters/src/postgres/embedded-postgres-server.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    project.provide('postgresAdminUrl', external);
    return async () => undefined;
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'qbo-sync-test-pg-'));
  const server = await startEmbeddedPostgres({ dataDir: join(dataDir, 'cluster'), persistent: false });
  project.provide('postgresAdminUrl', server.url);
  return async () => {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
