// The QBO client reports the outcome of every call here. Each process keeps the last few outcomes per tenant in
// memory and records them (recordCallOutcomes: the decider rules, on the log) only when the health they point
// to differs from the last health this process knows, or that knowledge is older than `recheckMs` (other
// processes record too), so a busy realm costs no event-store round trip per call. Outcomes of one tenant are
// looked at one after the other.

import { randomUUID } from 'node:crypto';
import { type Actor, type CallOutcome, type CallOutcomeKind, type ConnectionHealth, deriveHealth } from '@qbo-sync/domain';
import type { ConnectionDeps } from './connection-deps.js';
import { recordCallOutcomes } from './record-call-outcomes.js';

export interface ConnectionHealthMonitor {
  record(tenantId: string, realmId: string, kind: CallOutcomeKind): void;
  /** Resolves when every recorded outcome has been looked at (tests, shutdown). */
  flush(): Promise<void>;
}

export const HEALTH_MONITOR: Actor = { type: 'system', id: 'health-monitor' };

interface TenantHealth {
  recent: CallOutcome[];
  known: ConnectionHealth | null;
  checkedAt: number;
  chain: Promise<void>;
}

export const createConnectionHealthMonitor = (
  deps: Pick<ConnectionDeps, 'eventStore' | 'logger' | 'now'>,
  options: { readonly window?: number; readonly recheckMs?: number } = {},
): ConnectionHealthMonitor => {
  const window = options.window ?? 10;
  const recheckMs = options.recheckMs ?? 30_000;
  const tenants = new Map<string, TenantHealth>();

  const check = async (tenantId: string, realmId: string, entry: TenantHealth) => {
    const derived = deriveHealth(entry.recent);
    if (derived === null) return;
    const stale = deps.now().getTime() - entry.checkedAt > recheckMs;
    if (!stale && entry.known === derived.health) return;
    entry.known = await recordCallOutcomes(
      deps,
      { tenantId, realmId, recent: [...entry.recent], at: deps.now().toISOString() },
      { correlationId: randomUUID(), actor: HEALTH_MONITOR },
    );
    entry.checkedAt = deps.now().getTime();
  };

  return {
    record: (tenantId, realmId, kind) => {
      let entry = tenants.get(tenantId);
      if (entry === undefined) {
        entry = { recent: [], known: null, checkedAt: 0, chain: Promise.resolve() };
        tenants.set(tenantId, entry);
      }
      entry.recent.push({ kind, at: deps.now().toISOString() });
      if (entry.recent.length > window) entry.recent.splice(0, entry.recent.length - window);
      const current = entry;
      current.chain = current.chain
        .then(() => check(tenantId, realmId, current))
        .catch((error: unknown) => {
          deps.logger.warn({ tenantId, err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, 'could not record connection health');
        });
    },
    flush: async () => {
      await Promise.all([...tenants.values()].map((entry) => entry.chain));
    },
  };
};
