// Wires the connection for a composition root: the adapters that fill the connection's ports (the Postgres
// token vault and OAuth states, intuit-oauth, the single-flight refresher, CompanyInfo over the QBO client, the
// connection_status read model), the shared rate limiter, and the QBO client every feature calls through.
// That client gets its access tokens and reports its call outcomes through the application's use cases
// (getAccessToken and friends, the health monitor), because both may write connection events: this file is
// where the adapters meet the application, the one place in adapters that imports it. Also points
// intuit-oauth at the configured endpoints (process-global).

import { type ConnectionDeps, type ConnectionHealthMonitor, type ConnectionTokens, connectionTokens, createConnectionHealthMonitor } from '@qbo-sync/application';
import type { EventStore } from '@qbo-sync/domain';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { type RateLimiter, type RateLimits, createPostgresRateLimiter } from '../postgres/postgres-rate-limiter.js';
import { readConnectionStatus } from '../postgres/read-models/connection-status-read-model.js';
import type { AccessTokenSource } from '../qbo-http/access-token-source.js';
import { type QboClient, createQboClient } from '../qbo-http/qbo-client.js';
import { createQboHttpCompanyProfileReader } from '../qbo-http/qbo-http-company-profile-reader.js';
import { type OAuthTokenService, configureIntuitOAuth, createIntuitOAuthTokenService } from './intuit-oauth-token-service.js';
import { createOAuthStateStore } from './oauth-state-store.js';
import type { QboConnectionConfig } from './qbo-connection-config.js';
import { createSingleFlightTokenRefresher } from './single-flight-token-refresher.js';
import { type PostgresTokenVault, createTokenVault } from './token-vault.js';
import { loadVaultKeyring } from './vault-keyring.js';

export interface QboConnectionModule {
  readonly vault: PostgresTokenVault;
  readonly oauth: OAuthTokenService;
  /** What the connection's use cases take (beginAuthorization, completeAuthorization, disconnect, ...). */
  readonly deps: ConnectionDeps;
  /** Access tokens for QBO calls: the stored ones while fresh, refreshed single-flight when due or rejected. */
  readonly refresher: ConnectionTokens;
  readonly health: ConnectionHealthMonitor;
  readonly limiter: RateLimiter;
  /** The client every feature uses: tokens from the refresher, limits shared through Postgres. */
  readonly client: QboClient;
}

export const createQboConnectionModule = async (options: {
  config: QboConnectionConfig;
  db: Kysely<unknown>;
  eventStore: EventStore;
  logger: Logger;
  limits?: Partial<RateLimits>;
  qbo?: { maxAttempts?: number; baseDelayMs?: number };
}): Promise<QboConnectionModule> => {
  const { config, db, eventStore } = options;
  const logger = options.logger.child({ component: 'qbo-connection' });
  const now = () => new Date();
  configureIntuitOAuth(config);
  const keyring = await loadVaultKeyring(config.vault);
  const vault = createTokenVault({ db, keyring });
  const oauth = createIntuitOAuthTokenService(config);
  const limiter = createPostgresRateLimiter({ db, ...(options.limits ? { limits: options.limits } : {}) });
  const clientOver = (tokens: AccessTokenSource, outcomes?: ConnectionHealthMonitor): QboClient =>
    createQboClient({
      accountingBaseUrl: config.accountingBaseUrl,
      minorVersion: config.minorVersion,
      tokens,
      limiter,
      logger,
      throttleWaitMs: config.throttleWaitMs,
      ...(outcomes ? { outcomes } : {}),
      ...options.qbo,
    });
  const deps: ConnectionDeps = {
    eventStore,
    vault,
    oauth,
    states: createOAuthStateStore({ db, ttlSeconds: config.stateTtlSeconds }),
    // A connect's first calls say nothing about the health of a connection that does not exist yet.
    company: createQboHttpCompanyProfileReader((tokens) => clientOver(tokens)),
    tokenRefresher: createSingleFlightTokenRefresher({ db, vault, oauth, now }),
    status: { read: (tenantId, at) => readConnectionStatus(db, tenantId, at) },
    logger,
    now,
  };
  const refresher = connectionTokens(deps);
  const health = createConnectionHealthMonitor(deps);
  return { vault, oauth, deps, refresher, health, limiter, client: clientOver(refresher, health) };
};
