// Who may read the Prometheus metrics. They name routes, volumes and error rates, so they are not public:
// either a scraper sends METRICS_TOKEN as a bearer token on the api's port, or they are served on their own
// port (METRICS_PORT, on METRICS_HOST: loopback by default) and not on the api's at all. With neither set,
// the api's /metrics says how to turn them on.

import type { RequestHandler } from 'express';
import { sameSecret } from '../auth/secret-token.js';
import { problem, sendProblem } from './problem.js';

export type MetricsAccess =
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'own_port'; readonly port: number; readonly host: string }
  | { readonly kind: 'off' };

/** In front of /metrics on the api's port. */
export const metricsGate = (access: MetricsAccess): RequestHandler => (req, res, next) => {
  if (access.kind === 'token') {
    const offered = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '')?.[1] ?? '';
    if (sameSecret(offered, access.token)) return next();
    res.setHeader('www-authenticate', 'Bearer realm="qbo-sync metrics"');
    sendProblem(res, problem('unauthenticated', 'Not signed in', 401, 'metrics need "Authorization: Bearer <METRICS_TOKEN>"'));
    return;
  }
  const detail =
    access.kind === 'own_port'
      ? `metrics are served on their own port (${access.host}:${access.port}), not here`
      : 'metrics are off: set METRICS_TOKEN (then send it as a bearer token) or METRICS_PORT (their own port)';
  sendProblem(res, problem('not-found', 'Not found', 404, detail));
};
