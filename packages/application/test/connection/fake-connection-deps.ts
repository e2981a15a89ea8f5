// Test support: the connection's ports as plain in-memory fakes, so the use cases' rules can be specified
// without Postgres, Intuit or QBO. The event store keeps streams with revisions (enough for handleCommand);
// the refresher asks `stillNeeded` like the real one and answers what the spec scripted.

import {
  type CompanyProfile,
  type ConnectionStatusView,
  type ConsumedState,
  type EventStore,
  type NewEvent,
  OAuthTokenError,
  type OAuthStateBinding,
  type OAuthStateOutcome,
  type RecordedEvent,
  type StoredTokens,
  type TokenGrant,
  type TokenRefreshOutcome,
  type TokensToStore,
  WrongExpectedRevisionError,
} from '@qbo-sync/domain';
import type { ConnectionDeps } from '../../src/connection/connection-deps.js';

type MemoryEventStore = EventStore & { events(stream: string): RecordedEvent[]; reads: number; appends: number; failAppends: boolean };

export const memoryEventStore = (): MemoryEventStore => {
  const streams = new Map<string, RecordedEvent[]>();
  let position = 0n;
  const unsupported = () => {
    throw new Error('not used by the connection use cases');
  };
  const store = {
    reads: 0,
    appends: 0,
    failAppends: false,
    events: (stream: string) => streams.get(stream) ?? [],
    readStream: async (stream: string) => {
      store.reads += 1;
      const events = streams.get(stream);
      return events === undefined
        ? { streamExists: false as const, currentRevision: null, events: [] }
        : { streamExists: true as const, currentRevision: BigInt(events.length - 1), events: [...events] };
    },
    appendToStream: async (stream: string, events: readonly NewEvent[], options: { expectedRevision?: unknown } = {}) => {
      if (store.failAppends) throw new Error('the log is unavailable');
      const existing = streams.get(stream) ?? [];
      const actual = existing.length === 0 ? 'no_stream' : BigInt(existing.length - 1);
      const expected = options.expectedRevision ?? 'any';
      if (expected !== 'any' && expected !== actual) throw new WrongExpectedRevisionError(stream, expected as bigint, actual);
      for (const event of events) {
        position += 1n;
        existing.push({ ...event, streamName: stream, streamRevision: BigInt(existing.length), position: { commit: position, prepare: position }, recordedAt: new Date() });
      }
      streams.set(stream, existing);
      store.appends += 1;
      return { nextExpectedRevision: BigInt(existing.length - 1), position: { commit: position, prepare: position } };
    },
    appendToStreams: unsupported,
    readStreams: unsupported,
    aggregateStream: unsupported,
    subscribe: unsupported,
    close: async () => undefined,
  };
  return store as unknown as MemoryEventStore;
};

export const memoryVault = () => {
  const rows = new Map<string, StoredTokens>();
  return {
    rows,
    read: async (tenantId: string) => rows.get(tenantId) ?? null,
    save: async (entry: TokensToStore) => {
      const version = (rows.get(entry.tenantId)?.version ?? 0n) + 1n;
      rows.set(entry.tenantId, { ...entry, version });
      return version;
    },
    clear: async (tenantId: string) => rows.delete(tenantId),
    dueForRefresh: async (before: Date, staleBefore: Date) =>
      [...rows.values()].filter((row) => row.accessTokenExpiresAt < before || row.refreshedAt < staleBefore).map(({ tenantId, realmId }) => ({ tenantId, realmId })),
    holdersOf: async (realmId: string) => [...rows.values()].filter((row) => row.realmId === realmId).map((row) => row.tenantId),
  };
};

export const company: CompanyProfile = { companyName: 'Larry’s Bakery', country: 'US', homeCurrency: 'USD', multiCurrencyEnabled: false, customTransactionNumbers: false };

export const grantFor = (now: Date, n: number, realmId: string | null = '111'): TokenGrant => ({
  accessToken: `access-${n}`,
  refreshToken: `refresh-${n}`,
  accessTokenExpiresAt: new Date(now.getTime() + 3600_000),
  refreshTokenExpiresAt: new Date(now.getTime() + 100 * 86_400_000),
  refreshTokenHardExpiresAt: new Date(now.getTime() + 5 * 365 * 86_400_000),
  realmId,
  intuitTid: `tid-${n}`,
});

export type FakeState = OAuthStateBinding & { used: boolean; expired: boolean; outcome: OAuthStateOutcome };

export interface FakeWorld {
  readonly deps: ConnectionDeps;
  readonly store: ReturnType<typeof memoryEventStore>;
  readonly vault: ReturnType<typeof memoryVault>;
  readonly states: Map<string, FakeState>;
  readonly logs: Array<{ level: string; object: Record<string, unknown>; message: string }>;
  /** What the next code exchange, revoke or refresh does. */
  exchange: () => Promise<TokenGrant>;
  revoke: (refreshToken: string) => Promise<void>;
  readCompany: () => Promise<CompanyProfile>;
  /** The refresh at Intuit, made when `stillNeeded` says so; the fake refresher stores its grant as the real one does. */
  refreshAtIntuit: (current: StoredTokens) => Promise<TokenGrant>;
  clock: Date;
}

export const fakeWorld = (): FakeWorld => {
  const store = memoryEventStore();
  const vault = memoryVault();
  const states = new Map<string, FakeState>();
  const usedCodes = new Set<string>();
  const logs: FakeWorld['logs'] = [];
  let issued = 0;
  let refreshed = 100;
  const world: FakeWorld = {
    store,
    vault,
    states,
    logs,
    clock: new Date('2026-01-01T00:00:00Z'),
    exchange: async () => grantFor(world.clock, 1),
    revoke: async () => undefined,
    readCompany: async () => company,
    refreshAtIntuit: async () => {
      refreshed += 1;
      return grantFor(world.clock, refreshed, null);
    },
    deps: undefined as unknown as ConnectionDeps,
  };
  const logger = {
    info: (object: Record<string, unknown>, message: string) => logs.push({ level: 'info', object, message }),
    warn: (object: Record<string, unknown>, message: string) => logs.push({ level: 'warn', object, message }),
    error: (object: Record<string, unknown>, message: string) => logs.push({ level: 'error', object, message }),
  };
  (world as { deps: ConnectionDeps }).deps = {
    eventStore: store,
    vault,
    oauth: {
      authorizeUrl: (state) => `https://intuit.example/connect?state=${state}`,
      exchangeCode: () => world.exchange(),
      revoke: (token) => world.revoke(token),
    },
    states: {
      issue: async (binding) => {
        issued += 1;
        const state = `state-${issued}`;
        states.set(state, { ...binding, used: false, expired: false, outcome: { kind: 'pending' } });
        return state;
      },
      consume: async (state): Promise<ConsumedState> => {
        const known = states.get(state);
        if (known === undefined) return { ok: false, reason: 'unknown' };
        if (known.used) {
          const { tenantId, userId, confirmRealmChange } = known;
          return { ok: false, reason: 'used', binding: { tenantId, userId, confirmRealmChange }, outcome: known.outcome };
        }
        if (known.expired) return { ok: false, reason: 'expired' };
        known.used = true;
        return { ok: true, tenantId: known.tenantId, userId: known.userId, confirmRealmChange: known.confirmRealmChange };
      },
      claimCode: async (code) => {
        if (usedCodes.has(code)) return false;
        usedCodes.add(code);
        return true;
      },
      settle: async (state, connected) => {
        const known = states.get(state);
        if (known?.used) known.outcome = connected === null ? { kind: 'failed' } : { kind: 'connected', ...connected };
      },
    },
    company: { read: () => world.readCompany() },
    tokenRefresher: {
      refresh: async (tenantId, stillNeeded): Promise<TokenRefreshOutcome> => {
        const current = await vault.read(tenantId);
        if (current === null) return { kind: 'not_connected' };
        if (!stillNeeded(current)) return { kind: 'kept', tokens: current };
        try {
          const grant = await world.refreshAtIntuit(current);
          const saved = {
            tenantId,
            realmId: current.realmId,
            tokens: { accessToken: grant.accessToken, refreshToken: grant.refreshToken },
            accessTokenExpiresAt: grant.accessTokenExpiresAt,
            refreshTokenExpiresAt: grant.refreshTokenExpiresAt,
            refreshTokenHardExpiresAt: grant.refreshTokenHardExpiresAt ?? current.refreshTokenHardExpiresAt,
            refreshedAt: world.clock,
          };
          const version = await vault.save(saved);
          return { kind: 'refreshed', tokens: { ...saved, version }, rotated: grant.refreshToken !== current.tokens.refreshToken, intuitTid: grant.intuitTid };
        } catch (error) {
          if (!(error instanceof OAuthTokenError)) throw error;
          return { kind: 'failed', error, tokens: current };
        }
      },
    },
    status: { read: async (tenantId) => ({ tenantId, state: 'not_connected' }) as unknown as ConnectionStatusView },
    logger,
    now: () => world.clock,
  };
  return world;
};

/** The callback URL Intuit would send the browser to for an issued connect link. */
export const callbackFor = (authorizeUrl: string, params: Record<string, string> = { code: 'code-1', realmId: '111' }): string => {
  const url = new URL('http://api.example/v1/connection/callback');
  url.searchParams.set('state', new URL(authorizeUrl).searchParams.get('state') ?? '');
  // Intuit issues a code per consent: the state is part of it here, so each authorization has its own.
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, key === 'code' ? `${value}-${url.searchParams.get('state')}` : value);
  return url.toString();
};
