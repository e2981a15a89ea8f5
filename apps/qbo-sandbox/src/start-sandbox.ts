// Starts a sandbox in this process: startSandbox({ port: 0 }) for tests, or from main.ts for
// `pnpm start`. Resolves to the URLs a client needs and a handle to control and close it.

import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createSandboxApp } from './app.js';
import type { SandboxClock } from './clock.js';
import { createSandboxClock } from './clock.js';
import type { Limits } from './limits/rate-limiter.js';
import type { OAuthApp, OAuthLifetimes, OAuthServer } from './oauth/index.js';
import { OAUTH_PATHS, createOAuthServer } from './oauth/index.js';
import { createStateSaver, loadStateFile } from './persistence/state-file.js';
import type { CompanySpec, SandboxCore } from './sandbox-core.js';
import { createSandboxCore } from './sandbox-core.js';
import type { SeedOptions } from './seed/seed-company.js';
import type { WebhookConfig, WebhookDispatcher } from './webhooks/index.js';
import { createWebhookDispatcher } from './webhooks/index.js';

export interface StartSandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  clock?: SandboxClock;
  /** Intuit's throttles (default on, Intuit's numbers); false turns them off. */
  limits?: Partial<Limits> | false;
  /** Load state from this file at start (if it exists) and save changes to it. */
  stateFile?: string;
  apps?: OAuthApp[];
  autoApprove?: boolean;
  oauthLifetimes?: Partial<OAuthLifetimes>;
  webhooks?: WebhookConfig;
  /** A number of companies, or their names (and optional realm ids). Default: one company. */
  companies?: number | Array<{ realmId?: string; companyName: string; seed?: SeedOptions }>;
  /** Seed every initial company with generated data. */
  seed?: SeedOptions;
}

export interface SandboxHandle {
  url: string;
  /** What a client uses as its base: url + '/v3/company/' (the realm id follows). */
  accountingBaseUrl: string;
  oauth: { authorizeUrl: string; tokenUrl: string; revokeUrl: string; userinfoUrl: string; jwksUrl: string; discoveryUrl: string; issuer: string };
  controlsUrl: string;
  clock: SandboxClock;
  realms(): string[];
  oauthServer: OAuthServer;
  webhooks: WebhookDispatcher;
  core: SandboxCore;
  /** Writes the state file now (no-op without one). */
  save(): Promise<void>;
  close(): Promise<void>;
}

const companySpecs = (options: StartSandboxOptions): CompanySpec[] => {
  const c = options.companies ?? 1;
  const specs: CompanySpec[] =
    typeof c === 'number'
      ? Array.from({ length: c }, (_, i) => ({ companyName: i === 0 ? 'Sandbox Company_US_1' : `Sandbox Company_US_${i + 1}` }))
      : c.map((x) => ({ ...x }));
  return specs.map((s) => (options.seed && !s.seed ? { ...s, seed: options.seed } : s));
};

export const startSandbox = async (options: StartSandboxOptions = {}): Promise<SandboxHandle> => {
  const clock = options.clock ?? createSandboxClock();
  const host = options.host ?? '127.0.0.1';
  let baseUrl = '';
  const saved = options.stateFile ? await loadStateFile(options.stateFile) : undefined;

  const core = createSandboxCore({
    clock,
    limits: options.limits ?? {},
    // A saved state brings its own companies.
    initialCompanies: saved ? [] : companySpecs(options),
    makeOAuth: (listCompanies) =>
      createOAuthServer({
        clock,
        listCompanies,
        baseUrl: () => baseUrl,
        ...(options.apps ? { apps: options.apps } : {}),
        ...(options.autoApprove !== undefined ? { autoApprove: options.autoApprove } : {}),
        ...(options.oauthLifetimes ? { lifetimes: options.oauthLifetimes } : {}),
      }),
    makeWebhooks: () => createWebhookDispatcher({ clock, ...(options.webhooks ? { config: options.webhooks } : {}) }),
  });
  if (saved) core.restore(saved);

  const saver = options.stateFile ? createStateSaver(options.stateFile, () => core.snapshot()) : undefined;
  if (saver) core.onDirty(() => saver.markDirty());
  const state = {
    save: async () => {
      if (!saver || !options.stateFile) return undefined;
      await saver.flush();
      return options.stateFile;
    },
  };

  const app = createSandboxApp(core, state);
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port ?? 0, host, () => resolve(s));
    s.once('error', reject);
  });
  server.keepAliveTimeout = 65_000;
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (saver && !saved) saver.markDirty();

  let closed = false;
  return {
    url: baseUrl,
    accountingBaseUrl: `${baseUrl}/v3/company/`,
    oauth: {
      authorizeUrl: `${baseUrl}${OAUTH_PATHS.authorize}`,
      tokenUrl: `${baseUrl}${OAUTH_PATHS.token}`,
      revokeUrl: `${baseUrl}${OAUTH_PATHS.revoke}`,
      userinfoUrl: `${baseUrl}${OAUTH_PATHS.userinfo}`,
      jwksUrl: `${baseUrl}${OAUTH_PATHS.jwks}`,
      discoveryUrl: `${baseUrl}${OAUTH_PATHS.discovery}`,
      issuer: 'https://oauth.platform.intuit.com/op/v1',
    },
    controlsUrl: `${baseUrl}/__sandbox`,
    clock,
    realms: () => core.realms.list().map((c) => c.realmId),
    oauthServer: core.oauth,
    webhooks: core.webhooks,
    core,
    save: async () => {
      await state.save();
    },
    async close() {
      if (closed) return;
      closed = true;
      if (saver) {
        saver.stop();
        await saver.flush();
      }
      await core.webhooks.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
