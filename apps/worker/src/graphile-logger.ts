// Routes graphile-worker's own log lines into the worker's pino logger, so one process writes one format.

import { Logger as GraphileLogger } from 'graphile-worker';
import type { Logger } from 'pino';

export const graphileLogger = (logger: Logger): GraphileLogger =>
  new GraphileLogger((scope) => {
    const child = logger.child({ graphile: scope });
    return (level, message, meta) => {
      const method = level === 'error' ? 'error' : level === 'warning' ? 'warn' : level === 'debug' ? 'debug' : 'info';
      child[method](meta ?? {}, message);
    };
  });
