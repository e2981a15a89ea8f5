// Test support: a real Postgres database, the Postgres event store, the QBO sandbox as a process, and the
// connection module wired as an app would wire it, with every log line kept for secret scans. The connect
// runs through the application's use cases, as the api's routes call them.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { pino } from 'pino';
import { createDatabase, createPool, createPostgresEventStore, migrateToLatest, type RateLimits } from '@qbo-sync/adapters/postgres';
import { createQboConnectionModule, loadQboConnectionConfig, type QboConnectionModule } from '@qbo-sync/adapters/intuit-oauth';
import { type CommandContext, type CompleteAuthorizationResult, beginAuthorization, completeAuthorization } from '@qbo-sync/application';
import { projectConnectionStatus } from '@qbo-sync/adapters/read-models';
import { createTestDatabase, type TestDatabase } from '../../../src/testing/index.js';
import { type SandboxProcess, startSandboxProcess } from '../../qbo-http/support/sandbox-process.js';

export const REDIRECT_URI = 'http://127.0.0.1:9/v1/connection/callback';

export interface ConnectionHarness {
  readonly database: TestDatabase;
  readonly db: ReturnType<typeof createDatabase<unknown>>;
  readonly eventStore: ReturnType<typeof createPostgresEventStore>;
  readonly sandbox: SandboxProcess;
  readonly module: QboConnectionModule;
  readonly logLines: string[];
  readonly dataDir: string;
  /** Runs the whole OAuth dance for a tenant; returns the callback URL the browser would bring back. */
  authorize(tenantId: string, options?: { userId?: string; confirmRealmChange?: boolean; realmId?: string }): Promise<string>;
  connect(tenantId: string, options?: { userId?: string; confirmRealmChange?: boolean; realmId?: string }): Promise<CompleteAuthorizationResult>;
  /** The callback as the api's route completes it, for this user. */
  complete(callbackUrl: string, userId?: string): Promise<CompleteAuthorizationResult>;
  /** Folds every event so far into connection_status, as the projector would. */
  project(): Promise<void>;
  close(): Promise<void>;
}

/** The context of a person's request, as the api's routes give it. */
export const userContext = (userId: string): CommandContext => ({ correlationId: `test-${userId}-${Date.now()}`, actor: { type: 'user', id: userId } });

export const startConnectionHarness = async (
  label: string,
  options: { env?: Record<string, string>; limits?: Partial<RateLimits>; sandboxEnv?: Record<string, string> } = {},
): Promise<ConnectionHarness> => {
  const database = await createTestDatabase(label);
  const pool = createPool({ connectionString: database.url, maxConnections: 20 });
  const db = createDatabase<unknown>(pool);
  await migrateToLatest(db);
  const eventStore = createPostgresEventStore({ db, connectionString: database.url });
  const sandbox = await startSandboxProcess({ QBO_SANDBOX_LIMITS: 'off', ...options.sandboxEnv });
  const dataDir = await mkdtemp(join(tmpdir(), `qbo-sync-${label}-`));
  const logLines: string[] = [];
  // No redaction here on purpose: the code itself must never hand a secret to the logger.
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString());
        done();
      },
    }),
  );
  const config = loadQboConnectionConfig(
    { QBO_SANDBOX_URL: sandbox.url, QBO_THROTTLE_WAIT_MS: '200', QBO_SYNC_DATA_DIR: dataDir, ...options.env },
    { redirectUri: REDIRECT_URI },
  );
  const module = await createQboConnectionModule({
    config,
    db,
    eventStore,
    logger,
    ...(options.limits ? { limits: options.limits } : {}),
    qbo: { baseDelayMs: 20 },
  });

  const authorize: ConnectionHarness['authorize'] = async (tenantId, { userId = 'user-1', confirmRealmChange = false, realmId } = {}) => {
    const { authorizeUrl } = await beginAuthorization(module.deps, { tenantId, userId, confirmRealmChange });
    const url = new URL(authorizeUrl);
    if (realmId !== undefined) url.searchParams.set('realmId', realmId);
    const response = await fetch(url, { redirect: 'manual' });
    const location = response.headers.get('location');
    if (response.status !== 302 || location === null) throw new Error(`authorize answered ${response.status}: ${await response.text()}`);
    return location;
  };

  const complete: ConnectionHarness['complete'] = (callbackUrl, userId = 'user-1') => completeAuthorization(module.deps, { callbackUrl, userId }, userContext(userId));

  let checkpoint = 0n;
  return {
    database,
    db,
    eventStore,
    sandbox,
    module,
    logLines,
    dataDir,
    authorize,
    complete,
    connect: async (tenantId, connectOptions = {}) => complete(await authorize(tenantId, connectOptions), connectOptions.userId),
    project: async () => {
      const { rows } = await sql<{ global_position: string }>`select global_position from events where global_position > ${checkpoint} order by global_position`.execute(db);
      if (rows.length === 0) return;
      // Read through the store so the events have the shape the projector hands over.
      const subscription = eventStore.subscribe({ from: 'start', filter: { categories: ['connection', 'sync'] } });
      const seen: Parameters<typeof projectConnectionStatus>[1][number][] = [];
      const total = rows.length;
      const { rows: counted } = await sql<{ n: string }>`select count(*) as n from events where category in ('connection', 'sync')`.execute(db);
      for await (const batch of subscription) {
        seen.push(...batch);
        if (seen.length >= Number(counted[0]?.n ?? total)) break;
      }
      await subscription.stop();
      await db.transaction().execute(async (trx) => {
        await sql`truncate table connection_status`.execute(trx);
        await projectConnectionStatus(trx, seen);
      });
      checkpoint = BigInt(rows.at(-1)?.global_position ?? '0');
    },
    close: async () => {
      await module.health.flush();
      await eventStore.close();
      await sandbox.stop();
      await pool.end();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};
