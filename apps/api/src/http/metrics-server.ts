// The metrics on a port of their own (METRICS_PORT): only GET /metrics, no access control, so bind it where
// only the scraper reaches (METRICS_HOST, loopback by default).

import { once } from 'node:events';
import type { Server } from 'node:http';
import express from 'express';
import { metricsRoute } from './health-routes.js';
import type { HttpMetrics } from './http-metrics.js';

export const startMetricsServer = async (metrics: HttpMetrics, host: string, port: number): Promise<Server> => {
  const app = express();
  app.disable('x-powered-by');
  app.use(metricsRoute(metrics));
  const server = app.listen(port, host);
  await once(server, 'listening');
  return server;
};
