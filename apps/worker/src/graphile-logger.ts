// Routes graphile-worker's own log lines into the worker's pino logger, so one process writes one format.
// Its meta can carry whole pg clients (with connection settings): only errors and plain values pass.

import { Logger as GraphileLogger } from 'graphile-worker';
import type { Logger } from 'pino';

const plain = (meta: Record<string, unknown> | undefined): Record<string, unknown> => {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(meta ?? {})) {
    if (value instanceof Error) kept.err = value;
    else if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) kept[key] = value;
  }
  return kept;
};

export const graphileLogger = (logger: Logger): GraphileLogger =>
  new GraphileLogger((scope) => {
    const child = logger.child({ graphile: plain(scope as Record<string, unknown>) });
    return (level, message, meta) => {
      const method = level === 'error' ? 'error' : level === 'warning' ? 'warn' : level === 'debug' ? 'debug' : 'info';
      child[method](plain(meta), message);
    };
  });
