// Builds the api's Express application from its collaborators. Knows no concrete adapter: the composition
// root hands in the readiness probe, metrics, logger and where the admin web build lives.

import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { adminWebRoutes } from './admin-web.js';
import { type ReadinessProbe, healthRoutes } from './health-routes.js';
import type { HttpMetrics } from './http-metrics.js';
import { inputGuard } from './input-guard.js';
import { eventSchemaRoute } from '../events/event-schema-route.js';
import { openApiRoute } from '../openapi/openapi-route.js';
import type { MetricsAccess } from './metrics-access.js';
import { rejectBadPathEncoding } from './path-encoding.js';
import { problem, sendProblem } from './problem.js';
import { requestContext } from './request-context.js';
import { securityHeaders } from './security-headers.js';

export interface AppDependencies {
  readonly logger: Logger;
  readonly metrics: HttpMetrics;
  readonly readiness: ReadinessProbe;
  readonly bodyLimitBytes: number;
  /** Who may read /metrics on this port (METRICS_TOKEN, METRICS_PORT). */
  readonly metricsAccess: MetricsAccess;
  /** Express's `trust proxy` (TRUST_PROXY): whose X-Forwarded-For to believe; by default no one's. */
  readonly trustProxy?: boolean | number | string;
  /** The admin web build; not served when it holds no index.html. */
  readonly adminWebDir: string;
  /** Feature routers (connection, ...), mounted before the admin web app and the 404. */
  readonly routers?: readonly express.Router[];
  /** Access control: runs before every feature router and refuses what the caller may not do. */
  readonly gate?: express.RequestHandler;
}

interface HttpError {
  status?: unknown;
  type?: unknown;
  expose?: unknown;
}

// body-parser marks its errors with a `type`; each maps to a problem naming what was wrong.
const bodyProblem = (error: HttpError, limit: number) => {
  switch (error.type) {
    case 'entity.parse.failed':
      return problem('invalid-json', 'Invalid JSON', 400, 'body: the request body is not valid JSON', { field: 'body' });
    case 'entity.too.large':
      return problem('payload-too-large', 'Payload too large', 413, `body: the request body is larger than the limit of ${limit} bytes`, { field: 'body', limitBytes: limit });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return problem('unsupported-encoding', 'Unsupported encoding', 415, 'the request body uses an encoding or charset this api does not accept');
    default:
      return null;
  }
};

export const createApp = (deps: AppDependencies): express.Express => {
  const app = express();
  app.disable('x-powered-by');
  // Believing X-Forwarded-For from anyone would let a caller pick its own address (and dodge the sign-in
  // throttle): only a proxy named by TRUST_PROXY is believed.
  app.set('trust proxy', deps.trustProxy ?? false);
  app.use(requestContext(deps.logger, deps.metrics));
  app.use(securityHeaders());
  app.use(rejectBadPathEncoding());
  app.use(express.json({ limit: deps.bodyLimitBytes, type: ['application/json', 'application/*+json'] }));
  app.use(inputGuard());
  app.use(healthRoutes(deps.readiness, deps.metrics, deps.metricsAccess));
  app.use(openApiRoute());
  app.use(eventSchemaRoute());
  if (deps.gate !== undefined) app.use(deps.gate);
  for (const router of deps.routers ?? []) app.use(router);

  const adminWeb = adminWebRoutes(deps.adminWebDir);
  if (adminWeb === null) deps.logger.info({ adminWebDir: deps.adminWebDir }, 'admin web not built; not serving it (pnpm --filter @qbo-sync/admin-web build)');
  else app.use(adminWeb);

  app.use((req: Request, res: Response) => {
    res.locals.routeLabel = 'unmatched';
    sendProblem(res, problem('not-found', 'Not found', 404, `no resource at ${req.method} ${req.path}`, { instance: req.originalUrl }));
  });

  // Express 5 needs all four parameters to see this as the error handler.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const known = bodyProblem((error ?? {}) as HttpError, deps.bodyLimitBytes);
    if (known !== null) {
      sendProblem(res, known);
      return;
    }
    const status = typeof (error as HttpError | null)?.status === 'number' ? ((error as HttpError).status as number) : 500;
    if (status >= 400 && status < 500) {
      sendProblem(res, problem('bad-request', 'Bad request', status, error instanceof Error ? error.message : undefined));
      return;
    }
    // Never echo an internal error's message: it may hold connection details or data.
    (res.locals.log ?? deps.logger).error({ err: error, method: req.method, path: req.path }, 'unhandled error');
    if (res.headersSent) return;
    sendProblem(res, problem('internal', 'Internal server error', 500, `something went wrong; quote request id ${res.locals.requestId ?? 'unknown'}`));
  });
  return app;
};
