// The sandbox's Express app: Intuit-like OAuth paths at the root, the Accounting API under
// /v3/company/{realmId}, test controls under /__sandbox; an intuit_tid on every response and every
// Accounting call in the request log.

import { randomBytes } from 'node:crypto';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { createControlsRouter } from './controls/controls-router.js';
import type { AccountingFacts } from './http/accounting-router.js';
import { createAccountingRouter } from './http/accounting-router.js';
import type { SandboxCore } from './sandbox-core.js';

const intuitTid = () => {
  const hex = randomBytes(16).toString('hex');
  return `1-${hex.slice(0, 8)}-${hex.slice(8)}`;
};

export const createSandboxApp = (core: SandboxCore, state: { save(): Promise<string | undefined> }): express.Express => {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use((req: Request, res: Response, next: NextFunction) => {
    const tid = intuitTid();
    res.setHeader('intuit_tid', tid);
    // Token grants, revocations and control changes live outside the Accounting API's change
    // feed; any non-GET may have changed state worth keeping in the state file.
    if (req.method !== 'GET' && !req.path.startsWith('/v3/')) res.once('finish', () => core.touch());
    if (req.path.startsWith('/v3/')) {
      const started = process.hrtime.bigint();
      const at = core.clock.now().toISOString();
      res.once('close', () => {
        const facts = (res.locals.accounting ?? {}) as AccountingFacts;
        core.requestLog.append({
          at,
          method: req.method,
          path: req.path,
          query: { ...(req.query as Record<string, unknown>) },
          ...facts,
          status: facts.dropped ? 0 : res.statusCode,
          intuitTid: tid,
          durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        });
      });
    }
    next();
  });

  app.get('/', (_req, res) => {
    res.json({
      service: 'qbo-sandbox',
      accountingBaseUrl: '/v3/company/',
      realms: core.realms.companies(),
      controls: '/__sandbox',
    });
  });
  app.use('/v3/company/:realmId', createAccountingRouter({
    realms: core.realms,
    clock: core.clock,
    verifyAccessToken: (token, realmId) => core.oauth.verifyAccessToken(token, realmId),
    limiter: core.limiter,
    faults: core.faults,
    settings: core.settings,
    onChanges: (realmId, changes) => core.changed(realmId, changes),
  }));
  app.use('/__sandbox/oauth', core.oauth.controlsRouter);
  app.use('/__sandbox/webhooks', core.webhooks.controlsRouter);
  app.use('/__sandbox', createControlsRouter(core, state));
  app.use(core.oauth.router);

  app.use((req: Request, res: Response) => {
    res.status(404).json({ error: 'not_found', message: `qbo-sandbox has no route ${req.method} ${req.path}` });
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = typeof (err as { status?: unknown })?.status === 'number' ? (err as { status: number }).status : 500;
    if (status >= 500) console.error('qbo-sandbox: unhandled error', err);
    res.status(status).json({ error: status >= 500 ? 'internal_error' : 'invalid_request', message: (err as Error)?.message ?? String(err) });
  });
  return app;
};
