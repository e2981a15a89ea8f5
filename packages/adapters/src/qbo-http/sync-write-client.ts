// The QBO client the sync engine writes through: the connection's tokens, limiter and health monitor, but
// no retries of its own (maxAttempts 1), so the batch writer alone decides when a write goes again and
// looks a lost answer up first. Reads keep using the connection's client, which retries.

import type { QboConnectionConfig } from '../intuit-oauth/qbo-connection-config.js';
import type { QboConnectionModule } from '../intuit-oauth/qbo-connection-module.js';
import { type QboClient, createQboClient } from './qbo-client.js';
import type { Logger } from 'pino';

export const createSyncWriteClient = (options: { module: QboConnectionModule; config: QboConnectionConfig; logger: Logger; timeoutMs?: number }): QboClient =>
  createQboClient({
    accountingBaseUrl: options.config.accountingBaseUrl,
    minorVersion: options.config.minorVersion,
    tokens: options.module.refresher,
    limiter: options.module.limiter,
    logger: options.logger,
    outcomes: options.module.health,
    throttleWaitMs: options.config.throttleWaitMs,
    maxAttempts: 1,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
