// Builds the connection's parts from configuration, for a composition root to bind: the token vault, the
// single-flight refresher, the health monitor, the shared rate limiter, the QBO client and the connection
// service. Also points intuit-oauth at the configured endpoints (process-global).

import type { EventStore } from '@qbo-sync/domain';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { type RateLimiter, type RateLimits, createPostgresRateLimiter } from '../postgres/postgres-rate-limiter.js';
import { type QboClient, createQboClient } from '../qbo-http/qbo-client.js';
import type { AccessTokenSource } from '../qbo-http/access-token-source.js';
import { type ConnectionCommandHandler, createConnectionCommandHandler } from '../connection/connection-command-handler.js';
import { type ConnectionHealthMonitor, createConnectionHealthMonitor } from './connection-health-monitor.js';
import { type ConnectionService, createConnectionService } from '../connection/connection-service.js';
import { type OAuthTokenService, configureIntuitOAuth, createIntuitOAuthTokenService } from './intuit-oauth-token-service.js';
import { createOAuthStateStore } from './oauth-state-store.js';
import type { QboConnectionConfig } from './qbo-connection-config.js';
import { type TokenRefresher, createTokenRefresher } from './single-flight-token-refresher.js';
import { type TokenVault, createTokenVault } from './token-vault.js';
import { loadVaultKeyring } from './vault-keyring.js';

export interface QboConnectionModule {
  readonly vault: TokenVault;
  readonly oauth: OAuthTokenService;
  readonly commands: ConnectionCommandHandler;
  readonly refresher: TokenRefresher;
  readonly health: ConnectionHealthMonitor;
  readonly limiter: RateLimiter;
  /** The client every feature uses: tokens from the refresher, limits shared through Postgres. */
  readonly client: QboClient;
  readonly service: ConnectionService;
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
  configureIntuitOAuth(config);
  const keyring = await loadVaultKeyring(config.vault);
  const vault = createTokenVault({ db, keyring });
  const oauth = createIntuitOAuthTokenService(config);
  const commands = createConnectionCommandHandler(eventStore);
  const refresher = createTokenRefresher({ db, vault, oauth, commands, logger });
  const health = createConnectionHealthMonitor({ commands, logger });
  const limiter = createPostgresRateLimiter({ db, ...(options.limits ? { limits: options.limits } : {}) });
  const clientOver = (tokens: AccessTokenSource, outcomes = true): QboClient =>
    createQboClient({
      accountingBaseUrl: config.accountingBaseUrl,
      minorVersion: config.minorVersion,
      tokens,
      limiter,
      logger,
      throttleWaitMs: config.throttleWaitMs,
      ...(outcomes ? { outcomes: health } : {}),
      ...options.qbo,
    });
  const client = clientOver(refresher);
  const service = createConnectionService({ db, vault, states: createOAuthStateStore({ db, ttlSeconds: config.stateTtlSeconds }), oauth, commands, qboClient: (tokens) => clientOver(tokens, false), logger });
  return { vault, oauth, commands, refresher, health, limiter, client, service };
};
