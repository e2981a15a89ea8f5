// Turns the outcomes of QBO calls into ConnectionHealthChanged events. Each process keeps the last few
// outcomes per tenant in memory and asks the decider only when the health they point to differs from the
// last health it knows (or that knowledge is old, since other processes record too), so a busy realm costs
// no event-store round trip per call.

import { randomUUID } from 'node:crypto';
import { type CallOutcome, type CallOutcomeKind, type ConnectionHealth, deriveHealth } from '@qbo-sync/domain';
import type { Logger } from 'pino';
import type { CallOutcomeRecorder } from '../qbo-http/qbo-client.js';
import type { ConnectionCommandHandler } from '../connection/connection-command-handler.js';

export interface ConnectionHealthMonitor extends CallOutcomeRecorder {
  /** Resolves when every recorded outcome has been looked at (tests, shutdown). */
  flush(): Promise<void>;
}

interface TenantHealth {
  recent: CallOutcome[];
  known: ConnectionHealth | null;
  checkedAt: number;
  chain: Promise<void>;
}

export const createConnectionHealthMonitor = (options: {
  commands: ConnectionCommandHandler;
  logger: Logger;
  now?: () => Date;
  window?: number;
  recheckMs?: number;
}): ConnectionHealthMonitor => {
  const now = options.now ?? (() => new Date());
  const window = options.window ?? 10;
  const recheckMs = options.recheckMs ?? 30_000;
  const tenants = new Map<string, TenantHealth>();

  const check = async (tenantId: string, realmId: string, entry: TenantHealth) => {
    const derived = deriveHealth(entry.recent);
    if (derived === null) return;
    const stale = Date.now() - entry.checkedAt > recheckMs;
    if (!stale && entry.known === derived.health) return;
    const recent = [...entry.recent];
    const events = await options.commands.handle(
      tenantId,
      { type: 'RecordCallOutcomes', realmId, recent, at: now().toISOString() },
      { correlationId: randomUUID(), actor: { type: 'system', id: 'health-monitor' } },
    );
    const changed = events.find((event) => event.type === 'ConnectionHealthChanged');
    const state = changed?.type === 'ConnectionHealthChanged' ? changed.data.to : (await options.commands.state(tenantId));
    entry.known = typeof state === 'string' ? state : state.status === 'connected' ? state.health : null;
    entry.checkedAt = Date.now();
  };

  return {
    record: (tenantId, realmId, kind: CallOutcomeKind) => {
      let entry = tenants.get(tenantId);
      if (entry === undefined) {
        entry = { recent: [], known: null, checkedAt: 0, chain: Promise.resolve() };
        tenants.set(tenantId, entry);
      }
      entry.recent.push({ kind, at: now().toISOString() });
      if (entry.recent.length > window) entry.recent.splice(0, entry.recent.length - window);
      const current = entry;
      current.chain = current.chain
        .then(() => check(tenantId, realmId, current))
        .catch((error: unknown) => {
          options.logger.warn({ tenantId, err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, 'could not record connection health');
        });
    },
    flush: async () => {
      await Promise.all([...tenants.values()].map((entry) => entry.chain));
    },
  };
};
