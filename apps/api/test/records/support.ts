// Shared set-up for the records and syncs route tests: the api's composition root on a database of the file's
// own, a tenant created by an admin over HTTP, a tenant API key for the host's calls (the real auth gate), and
// `project()`, which does at once what the projector does: fold every new record, sync and settings event
// into the read models, and every event into the event feed, with the very folds the projector runs.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handleConnectionCommand } from '@qbo-sync/application';
import { createEventStore } from '@qbo-sync/adapters/event-store';
import { createDatabase, createPool } from '@qbo-sync/adapters/postgres';
import { freePort } from '@qbo-sync/adapters/embedded-postgres';
import { projectConnectionStatus, projectEventFeed, projectRecords, projectSyncRuns, projectSyncSettings } from '@qbo-sync/adapters/read-models';
import { type TestDatabase, createTestDatabase } from '@qbo-sync/adapters/testing';
import { type EventStore, type LogPosition, type RecordedEvent, categoryOf, upcast } from '@qbo-sync/domain';
import { pino } from 'pino';
import { type Api, TOKENS, createApiContainer } from '../../src/composition-root.js';
import { loadApiConfig } from '../../src/config.js';
import { type TestSession, createTestApiKey, signInAs } from '../support/auth.js';

// Assertions walk answers freely (toMatchObject checks their shape); typing each answer would add nothing.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyJson = any;

export interface EngineTestApi {
  readonly url: string;
  readonly databaseUrl: string;
  readonly admin: TestSession;
  /** The host's key for each tenant created. */
  readonly keys: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Calls the api as the host of `tenant` (its API key), JSON in and out. */
  call(tenant: string, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: AnyJson; headers: Headers }>;
  /** Folds every event appended since the last call into the read models. */
  project(): Promise<void>;
  /** Records a QBO connection for the tenant (as a completed OAuth connect does) and projects its status. */
  connect(tenant: string, realmId?: string): Promise<void>;
  readonly store: EventStore;
  close(): Promise<void>;
}

export const startEngineTestApi = async (label: string, tenants: readonly string[]): Promise<EngineTestApi> => {
  const database: TestDatabase = await createTestDatabase(label);
  const dataDir = await mkdtemp(join(tmpdir(), `qbo-sync-${label}-`));
  const port = await freePort();
  const env = {
    DATABASE_URL: database.url,
    API_PORT: String(port),
    LOG_LEVEL: process.env.TEST_API_LOG_LEVEL ?? 'silent',
    // Never called by these routes: the records and syncs api does not talk to QBO.
    QBO_SANDBOX_URL: 'http://127.0.0.1:9',
    QBO_SYNC_DATA_DIR: dataDir,
    // A chosen first admin, so start-up prints no one-time password.
    ADMIN_EMAIL: 'first-admin@example.test',
    ADMIN_PASSWORD: 'first-admin-password-long-enough',
  };
  const api = createApiContainer(loadApiConfig(env), { logger: pino({ level: process.env.TEST_API_LOG_LEVEL ?? 'silent' }), env }).get<Api>(TOKENS.Api);
  const url = await api.start();
  const pool = createPool({ connectionString: database.url, maxConnections: 3 });
  const db = createDatabase<unknown>(pool);
  const store = createEventStore(db, { kind: 'postgres', databaseUrl: database.url });

  const admin = await signInAs(database.url, url, 'admin');
  const keys: Record<string, Record<string, string>> = {};
  for (const tenant of tenants) {
    const created = await fetch(`${url}/v1/tenants`, {
      method: 'POST',
      headers: { ...admin.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ id: tenant, name: `Tenant ${tenant}` }),
    });
    if (created.status !== 201 && created.status !== 200) throw new Error(`creating tenant ${tenant} answered ${created.status}: ${await created.text()}`);
    keys[tenant] = { ...(await createTestApiKey(database.url, { tenant })).headers };
  }

  let checkpoint: LogPosition | null = null;
  const engineCategories = new Set(['record', 'sync', 'settings']);
  const project = async () => {
    const head = await pool.query<{ position: string | null }>(`select max(global_position)::text as position from events`);
    const target = head.rows[0]?.position;
    if (target === null || target === undefined) return;
    if (checkpoint !== null && checkpoint.prepare >= BigInt(target)) return;
    const subscription = store.subscribe({ from: checkpoint ?? 'start', batchSize: 1000 });
    try {
      for await (const delivered of subscription) {
        // As the projector hands them over: in their current shape, each read model with the events it asks for.
        const batch = delivered.map(upcast);
        const engine = batch.filter((event) => engineCategories.has(categoryOf(event.streamName)));
        await db.transaction().execute(async (trx) => {
          await projectRecords(trx, engine);
          await projectSyncRuns(trx, engine);
          await projectSyncSettings(trx, engine);
          await projectEventFeed(trx, batch);
        });
        const last: RecordedEvent | undefined = batch[batch.length - 1];
        if (last !== undefined) checkpoint = last.position;
        if (batch.some((event) => event.position.prepare >= BigInt(target))) break;
      }
    } finally {
      await subscription.stop();
    }
  };

  const call: EngineTestApi['call'] = async (tenant, method, path, body, headers = {}) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { ...(keys[tenant] ?? {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      // left as text
    }
    return { status: response.status, body: parsed, headers: response.headers };
  };

  const connect = async (tenant: string, realmId = '9130350000000001') => {
    const company = { companyName: `${tenant} Ltd`, country: 'US', homeCurrency: 'USD', multiCurrencyEnabled: false, customTransactionNumbers: true };
    const expiries = { accessTokenExpiresAt: '2099-01-01T01:00:00.000Z', refreshTokenExpiresAt: '2099-04-10T00:00:00.000Z', refreshTokenHardExpiresAt: '2099-12-31T00:00:00.000Z' };
    await handleConnectionCommand(
      store,
      tenant,
      { type: 'AuthorizeConnection', realmId, company, expiries, userId: 'u-test', confirmRealmChange: false, at: new Date().toISOString() },
      { correlationId: `connect-${tenant}`, actor: { type: 'user', id: 'u-test' } },
    );
    const events = (await store.readStream(`connection-${tenant}`)).events;
    await db.transaction().execute((trx) => projectConnectionStatus(trx, events));
  };

  return {
    url,
    databaseUrl: database.url,
    admin,
    keys,
    call,
    project,
    connect,
    store,
    close: async () => {
      await store.close();
      await api.stop();
      await pool.end();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};
