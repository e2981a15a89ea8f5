// Liveness, readiness and metrics: /healthz says the process answers; /readyz says it can serve (database
// reachable, migrations applied) and is 503 otherwise; /metrics is the Prometheus scrape, behind its gate
// (metrics-access.ts).

import type { DatabaseReadiness } from '@qbo-sync/adapters/config';
import { Router } from 'express';
import type { HttpMetrics } from './http-metrics.js';
import { type MetricsAccess, metricsGate } from './metrics-access.js';
import { problem, sendProblem } from './problem.js';

export type ReadinessProbe = () => Promise<DatabaseReadiness>;

/** The Prometheus scrape alone: for the metrics port, and behind the gate on the api's. */
export const metricsRoute = (metrics: HttpMetrics): Router => {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
};

export const healthRoutes = (readiness: ReadinessProbe, metrics: HttpMetrics, metricsAccess: MetricsAccess): Router => {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const result = await readiness();
    if (result.ready) {
      res.json({ status: 'ready' });
      return;
    }
    res.locals.log.warn({ reason: result.reason, detail: result.detail }, 'not ready');
    res.setHeader('retry-after', '5');
    const detail = result.reason === 'migrations_pending' ? `database migrations are not applied (${result.detail})` : 'the database does not answer';
    sendProblem(res, problem('not-ready', 'Service not ready', 503, detail, { reason: result.reason }));
  });
  router.use('/metrics', metricsGate(metricsAccess));
  router.use(metricsRoute(metrics));
  return router;
};
