// The sync engine in one process with nothing but its ports: the in-memory event store (with the in-memory
// record directory kept by its append hook), the in-memory push lock, and QBO through the HTTP adapter to the
// sandbox in this process (a token minted by the sandbox; no vault, no limiter, no Postgres anywhere). Runs
// are carried out by calling the run-sync use case directly, as the worker's job would.

import { randomUUID } from 'node:crypto';
import { createLogger } from '@qbo-sync/adapters/config';
import { createInMemoryEventStore, createInMemoryRecordDirectory, createInMemorySyncLock } from '@qbo-sync/adapters/in-memory';
import { createQboClient, createQboHttpAccounting, fixedAccessToken } from '@qbo-sync/adapters/qbo-http';
import { type SyncDeps, changeSyncSettings, deleteRecord, handleCommand, requestSync, runSync, silentLogger, upsertRecord } from '@qbo-sync/application';
import {
  type ConflictPolicy,
  type EventStore,
  type RecordType,
  type SyncScope,
  canonicalSchemas,
  connectionDecider,
  connectionStreamName,
  syncStreamName,
} from '@qbo-sync/domain';
import { type SandboxHandle, type StartSandboxOptions, startSandbox } from '../../apps/qbo-sandbox/src/index.js';
import { qboCalls, sandboxControls } from './sandbox-calls.js';

export interface MemoryWorld {
  readonly eventStore: EventStore;
  readonly deps: SyncDeps;
  readonly sandbox: SandboxHandle;
  readonly realmId: string;
  readonly tenantId: string;
  upsert(type: RecordType, localId: string, input: Record<string, unknown>): Promise<void>;
  remove(type: RecordType, localId: string): Promise<void>;
  setPolicy(type: RecordType, conflictPolicy: ConflictPolicy): Promise<void>;
  /** Requests a run and carries it out; answers its last event. */
  sync(type: RecordType, direction: 'push' | 'pull', options?: { scope?: SyncScope; dryRun?: boolean }): Promise<{ type: string; data: Record<string, unknown> }>;
  /** The Accounting API as another QBO user would call it (path after /v3/company/{realm}). */
  qbo(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Record<string, unknown>>;
  qboAll(entity: string): Promise<Record<string, unknown>[]>;
  control(method: string, path: string, body?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

export const startMemoryWorld = async (sandboxOptions: StartSandboxOptions = {}, tenantId = 'acme'): Promise<MemoryWorld> => {
  const sandbox = await startSandbox({ port: 0, limits: false, seed: { customers: 0, vendors: 0, items: 0, invoices: 0 }, ...sandboxOptions });
  const realmId = sandbox.realms()[0] as string;
  const accessToken = sandbox.oauthServer.mintTokens({ realmId }).access_token;
  const tokens = fixedAccessToken({ accessToken, realmId });
  const logger = createLogger({ service: 'memory-world', level: 'silent' });
  const client = (maxAttempts: number) => createQboClient({ accountingBaseUrl: sandbox.url, minorVersion: 75, tokens, limiter: null, logger, maxAttempts, baseDelayMs: 10, throttleWaitMs: 50 });
  const directory = createInMemoryRecordDirectory();
  const eventStore = createInMemoryEventStore({ onAppended: directory.onAppended });
  const deps: SyncDeps = {
    eventStore,
    directory,
    qbo: createQboHttpAccounting({ reads: client(3), writes: client(1), today: () => new Date().toISOString().slice(0, 10), retryBaseMs: 10, throttleWaitMs: 50 }),
    lock: createInMemorySyncLock(),
    now: () => new Date(),
    logger: silentLogger,
  };
  const context = () => ({ correlationId: randomUUID(), actor: { type: 'api_key' as const, id: 'memory-world' } });
  const at = () => new Date().toISOString();
  // The tenant is connected as far as the log knows (the connect flow itself needs the vault).
  const soon = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
  await handleCommand(
    eventStore,
    connectionStreamName(tenantId),
    connectionDecider,
    {
      type: 'AuthorizeConnection',
      realmId,
      company: { companyName: 'Sandbox Company', country: 'US', homeCurrency: 'USD', multiCurrencyEnabled: false, customTransactionNumbers: true },
      expiries: { accessTokenExpiresAt: soon(1), refreshTokenExpiresAt: soon(100), refreshTokenHardExpiresAt: null },
      userId: 'user-1',
      confirmRealmChange: false,
      at: at(),
    },
    { tenantId, context: context() },
  );
  const control = sandboxControls(sandbox);
  const { qbo, qboAll } = qboCalls(sandbox, realmId, async () => accessToken);

  return {
    eventStore,
    deps,
    sandbox,
    realmId,
    tenantId,
    upsert: async (type, localId, input) => {
      await upsertRecord(deps, { tenantId, recordType: type, localId, record: canonicalSchemas[type].parse(input) as Record<string, unknown>, at: at() }, context());
    },
    remove: async (type, localId) => {
      await deleteRecord(deps, { tenantId, recordType: type, localId, at: at() }, context());
    },
    setPolicy: async (type, conflictPolicy) => {
      await changeSyncSettings(deps, { tenantId, recordType: type, mode: 'manual', schedule: null, conflictPolicy, at: at() }, context());
    },
    sync: async (type, direction, options = {}) => {
      const { syncId } = await requestSync(deps, { tenantId, recordType: type, direction, scope: options.scope ?? { kind: 'changed' }, dryRun: options.dryRun ?? false, newSyncId: randomUUID(), at: at() }, context());
      await runSync(deps, { syncId, workerId: 'memory-world', lastAttempt: true });
      const { events } = await eventStore.readStream(syncStreamName(syncId));
      const last = events.at(-1);
      return { type: last?.type ?? 'none', data: (last?.data ?? {}) as Record<string, unknown> };
    },
    qbo,
    qboAll,
    control,
    close: async () => {
      await eventStore.close();
      await sandbox.close();
    },
  };
};
