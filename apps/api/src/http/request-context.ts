// Per-request context: a request id (the caller's X-Request-Id when it is sane, else a fresh one) that is
// echoed back, used as the correlation id in logs, and one access-log line plus metrics per request.

import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { HttpMetrics } from './http-metrics.js';

declare global {
  // Express types its res.locals through this global namespace; augmenting it is the documented way.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      requestId: string;
      log: Logger;
      /** Set by handlers not mounted as a route (static files) so metrics get a stable label. */
      routeLabel?: string;
    }
  }
}

const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const routeOf = (req: Request, res: Response): string => {
  if (res.locals.routeLabel !== undefined) return res.locals.routeLabel;
  const route = (req as Request & { route?: { path?: unknown } }).route;
  if (route !== undefined && typeof route.path === 'string') return `${req.baseUrl}${route.path}`;
  return 'unmatched';
};

export const requestContext = (logger: Logger, metrics: HttpMetrics): RequestHandler => (req: Request, res: Response, next: NextFunction) => {
  const started = process.hrtime.bigint();
  const offered = req.get('x-request-id');
  const requestId = offered !== undefined && SANE_ID.test(offered) ? offered : randomUUID();
  res.locals.requestId = requestId;
  res.locals.log = logger.child({ requestId, correlationId: requestId });
  res.setHeader('x-request-id', requestId);
  res.on('finish', () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const route = routeOf(req, res);
    metrics.observe({ method: req.method, route, status: res.statusCode }, seconds);
    // Probes and scrapes would drown the log at info level.
    const quiet = route === '/healthz' || route === '/readyz' || route === '/metrics';
    res.locals.log[quiet ? 'debug' : 'info'](
      { method: req.method, path: req.path, route, status: res.statusCode, ms: Math.round(seconds * 1000) },
      'request',
    );
  });
  next();
};
