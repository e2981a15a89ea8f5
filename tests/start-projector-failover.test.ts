// One live projector per projection across processes: a second projector process waits on the advisory
// lock, and takes over when the first is killed with SIGKILL (its session ends, so its lock goes too).

import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createDatabase, createPool, createPostgresEventStore, migrateToLatest } from '@qbo-sync/adapters/postgres';
import { createTestDatabase } from '@qbo-sync/adapters/testing';
import { afterEach, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../apps/projector/src/main.ts', import.meta.url));
const tsx = import.meta.resolve('tsx');
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

const startProjector = (databaseUrl: string) => {
  const child = spawn(process.execPath, ['--import', tsx, main], {
    env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl, LOG_LEVEL: 'info', PROJECTOR_LOCK_POLL_MS: '100' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return {
    child,
    saw: async (message: string, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!output.includes(`"msg":"${message}"`)) {
        if (Date.now() > deadline) throw new Error(`projector ${child.pid} never logged "${message}":\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
};

it('a second projector process waits, then takes over when the first is killed', { timeout: 60_000 }, async () => {
  const database = await createTestDatabase('failover');
  const pool = createPool({ connectionString: database.url, maxConnections: 3 });
  const db = createDatabase<unknown>(pool);
  const store = createPostgresEventStore({ db, connectionString: database.url });
  const activity = async (id: string) => (await pool.query('select event_type from activity_log where event_id = $1', [id])).rows;
  const append = async (type: string) => {
    const id = randomUUID();
    await store.appendToStream(`sync-${id}`, [
      { id, type, data: {}, metadata: { tenantId: 't1', correlationId: id, causationId: null, actor: { type: 'system', id: 'test' }, schemaVersion: 1 } },
    ]);
    return id;
  };
  const projected = async (id: string) => {
    const deadline = Date.now() + 15_000;
    while ((await activity(id)).length === 0) {
      if (Date.now() > deadline) throw new Error(`event ${id} was never projected`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  try {
    await migrateToLatest(db);
    const first = startProjector(database.url);
    await first.saw('projection lock acquired');
    const second = startProjector(database.url);
    await second.saw('another instance holds this projection; waiting');

    await projected(await append('BeforeKill'));

    first.child.kill('SIGKILL');
    await second.saw('projection lock acquired');
    const after = await append('AfterKill');
    await projected(after);
    expect(await activity(after)).toEqual([{ event_type: 'AfterKill' }]);
  } finally {
    await store.close();
    await db.destroy();
    await database.drop();
  }
});
