// The api's settings, read from the environment. A bad value stops start-up naming the variable.

import { ConfigurationError, type Env, eventStoreKind, httpUrl, logLevel, optional, parseEnv, portNumber, positiveInteger, postgresUrl, required, withDefault } from '@qbo-sync/adapters/config';
import express from 'express';
import { z } from 'zod';
import type { MetricsAccess } from './http/metrics-access.js';

/**
 * Whom to believe about a caller's address (X-Forwarded-For), as Express's `trust proxy` takes it: `false` (no
 * one: the socket's peer is the caller; the default), `true` (anyone: only behind a proxy that overwrites the
 * header), a hop count, or addresses and subnets (`loopback`, `10.0.0.0/8, 192.168.1.2`). Checked at start-up.
 */
const trustProxySetting = z.string().transform((value, ctx): boolean | number | string => {
  const text = value.trim();
  if (text === 'false' || text === '') return false;
  if (text === 'true') return true;
  if (/^[0-9]+$/.test(text)) return Number(text);
  try {
    // Express compiles the setting at once (proxy-addr) and throws on an address it cannot read.
    express().set('trust proxy', text);
    return text;
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `must be false, true, a hop count, or addresses/subnets (${error instanceof Error ? error.message : 'unreadable'})` });
    return z.NEVER;
  }
});

export const loadApiConfig = (env: Env) => {
  const parsed = parseEnv(
    {
      DATABASE_URL: required(postgresUrl),
      API_PORT: withDefault(portNumber, 3000),
      API_HOST: withDefault(z.string(), '127.0.0.1'),
      API_BODY_LIMIT_BYTES: withDefault(positiveInteger, 1_048_576),
      LOG_LEVEL: withDefault(logLevel, 'info'),
      MIGRATE_ON_START: withDefault(z.enum(['true', 'false'], { error: 'must be true or false' }), 'true'),
      ADMIN_WEB_DIR: optional(z.string()),
      EVENT_STORE: withDefault(eventStoreKind, 'postgres'),
      EVENTSTORE_URL: optional(httpUrl),
      TRUST_PROXY: withDefault(trustProxySetting, false),
      API_KEY_REQUESTS_PER_MINUTE: withDefault(positiveInteger, 12_000),
      METRICS_TOKEN: optional(z.string().min(16, { error: 'must be at least 16 characters' }).max(512)),
      METRICS_PORT: optional(portNumber),
      METRICS_HOST: withDefault(z.string(), '127.0.0.1'),
    },
    env,
  );
  if (parsed.METRICS_TOKEN !== undefined && parsed.METRICS_PORT !== undefined) {
    throw new ConfigurationError([{ variable: 'METRICS_PORT', message: 'set METRICS_TOKEN or METRICS_PORT, not both' }]);
  }
  if (parsed.EVENT_STORE === 'eventstoredb' && parsed.EVENTSTORE_URL === undefined) {
    throw new ConfigurationError([{ variable: 'EVENTSTORE_URL', message: 'is required when EVENT_STORE=eventstoredb' }]);
  }
  return {
    databaseUrl: parsed.DATABASE_URL,
    port: parsed.API_PORT,
    host: parsed.API_HOST,
    bodyLimitBytes: parsed.API_BODY_LIMIT_BYTES,
    logLevel: parsed.LOG_LEVEL,
    migrateOnStart: parsed.MIGRATE_ON_START === 'true',
    adminWebDir: parsed.ADMIN_WEB_DIR,
    eventStore: parsed.EVENT_STORE,
    eventStoreUrl: parsed.EVENTSTORE_URL,
    trustProxy: parsed.TRUST_PROXY,
    apiKeyRequestsPerMinute: parsed.API_KEY_REQUESTS_PER_MINUTE,
    metricsAccess: (parsed.METRICS_TOKEN !== undefined
      ? { kind: 'token', token: parsed.METRICS_TOKEN }
      : parsed.METRICS_PORT !== undefined
        ? { kind: 'own_port', port: parsed.METRICS_PORT, host: parsed.METRICS_HOST }
        : { kind: 'off' }) satisfies MetricsAccess as MetricsAccess,
  };
};

export type ApiConfig = ReturnType<typeof loadApiConfig>;
