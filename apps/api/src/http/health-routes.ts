// Liveness, readiness and metrics: /healthz says the process answers; /readyz says it can serve (database
// reachable, migrations applied) and is 503 otherwise; /metrics is the Prometheus scrape.

import type { DatabaseReadiness } from '@qbo-sync/adapters/config';
import { Router } from 'express';
import type { HttpMetrics } from './http-metrics.js';
import { problem, sendProblem } from './problem.js';

export type ReadinessProbe = () => Promise<DatabaseReadiness>;

export const healthRoutes = (readiness: ReadinessProbe, metrics: HttpMetrics): Router => {
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
  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
};
