// Everything one running sandbox holds, wired together: companies, clock, throttles, fault rules,
// request log, settings, OAuth and webhooks; plus reset, seeding and whole-state snapshots.

import type { RecordedChange } from './accounting/write-context.js';
import type { SandboxClock } from './clock.js';
import type { FaultRuleBook } from './controls/fault-rules.js';
import { createFaultRuleBook } from './controls/fault-rules.js';
import type { RequestLog } from './controls/request-log.js';
import { createRequestLog } from './controls/request-log.js';
import type { SandboxSettings } from './http/sandbox-settings.js';
import { DEFAULT_SETTINGS } from './http/sandbox-settings.js';
import type { Limits, RateLimiter } from './limits/rate-limiter.js';
import { createRateLimiter } from './limits/rate-limiter.js';
import type { OAuthServer } from './oauth/index.js';
import type { SeedOptions, SeedResult } from './seed/seed-company.js';
import { seedCompany } from './seed/seed-company.js';
import type { CompanySnapshot } from './store/company.js';
import { recordsOf } from './store/company.js';
import type { RealmRegistry } from './store/realm-registry.js';
import { createRealmRegistry } from './store/realm-registry.js';
import type { WebhookDispatcher } from './webhooks/index.js';

export interface CompanySpec {
  realmId?: string;
  companyName: string;
  seed?: SeedOptions;
}

export interface SandboxCore {
  clock: SandboxClock;
  realms: RealmRegistry;
  limiter: RateLimiter;
  faults: FaultRuleBook;
  requestLog: RequestLog;
  settings: SandboxSettings;
  oauth: OAuthServer;
  webhooks: WebhookDispatcher;
  createCompany(spec: CompanySpec): { realmId: string; companyName: string; seeded?: SeedResult };
  seed(realmId: string, options: SeedOptions): SeedResult;
  /** Reports committed writes to webhooks and marks the state dirty. */
  changed(realmId: string, changes: RecordedChange[]): void;
  /** Back to the companies the sandbox started with; clears faults, log, throttles (and OAuth/webhooks unless told not to). */
  reset(opts?: { realmId?: string; oauth?: boolean; webhooks?: boolean }): void;
  snapshot(): SandboxSnapshot;
  restore(snapshot: SandboxSnapshot): void;
  /** Called after any change worth persisting. */
  onDirty(listener: () => void): void;
  /** Something outside the Accounting API changed (OAuth grants, controls): persist soon. */
  touch(): void;
}

export interface SandboxSnapshot {
  version: 1;
  savedAt: string;
  companies: CompanySnapshot[];
  oauth: unknown;
  webhooks: unknown;
}

export const createSandboxCore = (input: {
  clock: SandboxClock;
  limits: Partial<Limits> | false;
  initialCompanies: CompanySpec[];
  makeOAuth(listCompanies: () => Array<{ realmId: string; companyName: string }>): OAuthServer;
  makeWebhooks(): WebhookDispatcher;
}): SandboxCore => {
  const { clock } = input;
  const realms = createRealmRegistry();
  const limiter = createRateLimiter(clock, input.limits);
  const faults = createFaultRuleBook();
  const requestLog = createRequestLog();
  const settings: SandboxSettings = { ...DEFAULT_SETTINGS };
  const oauth = input.makeOAuth(() => realms.companies());
  const webhooks = input.makeWebhooks();
  const dirtyListeners: Array<() => void> = [];
  const dirty = () => dirtyListeners.forEach((l) => l());
  // Realm ids the sandbox started with, so a reset gives the same ids back.
  const initial: CompanySpec[] = [];

  const seed = (realmId: string, options: SeedOptions): SeedResult => {
    const company = realms.get(realmId);
    if (!company) throw new Error(`No sandbox company has realmId ${realmId}`);
    const result = seedCompany(company, clock.now(), options);
    core.changed(realmId, result.changes);
    return result;
  };

  const createCompany = (spec: CompanySpec) => {
    const company = realms.create({ ...(spec.realmId ? { realmId: spec.realmId } : {}), companyName: spec.companyName }, clock.now());
    const seeded = spec.seed ? seed(company.realmId, spec.seed) : undefined;
    dirty();
    return { realmId: company.realmId, companyName: spec.companyName, ...(seeded ? { seeded } : {}) };
  };

  const core: SandboxCore = {
    clock,
    realms,
    limiter,
    faults,
    requestLog,
    settings,
    oauth,
    webhooks,
    createCompany,
    seed,
    changed(realmId, changes) {
      for (const c of changes) {
        const rec = recordsOf(realms.get(realmId)!, c.entity).get(c.id);
        webhooks.notify({
          realmId,
          entityName: c.entity,
          id: c.id,
          operation: c.operation,
          lastUpdated: rec ? new Date(rec.updatedAt) : clock.now(),
        });
      }
      dirty();
    },
    reset(opts = {}) {
      if (opts.realmId) {
        const spec = initial.find((s) => s.realmId === opts.realmId) ?? {
          realmId: opts.realmId,
          companyName: realms.companies().find((c) => c.realmId === opts.realmId)?.companyName ?? opts.realmId,
        };
        realms.remove(opts.realmId);
        createCompany(spec);
        return;
      }
      realms.clear();
      for (const spec of initial) createCompany(spec);
      faults.clear();
      requestLog.clear();
      limiter.reset();
      Object.assign(settings, DEFAULT_SETTINGS);
      if (opts.oauth !== false) oauth.reset();
      if (opts.webhooks !== false) webhooks.reset();
      dirty();
    },
    snapshot: () => ({
      version: 1,
      savedAt: clock.now().toISOString(),
      companies: realms.snapshot(),
      oauth: oauth.snapshot(),
      webhooks: webhooks.snapshot(),
    }),
    restore(snapshot) {
      if (snapshot?.version !== 1 || !Array.isArray(snapshot.companies)) throw new Error('Not a qbo-sandbox state snapshot (version 1)');
      realms.restore(snapshot.companies);
      if (snapshot.oauth !== undefined) oauth.restore(snapshot.oauth);
      if (snapshot.webhooks !== undefined) webhooks.restore(snapshot.webhooks);
    },
    onDirty(listener) {
      dirtyListeners.push(listener);
    },
    touch: dirty,
  };

  for (const spec of input.initialCompanies) {
    const created = createCompany(spec);
    initial.push({ ...spec, realmId: created.realmId });
  }
  return core;
};
