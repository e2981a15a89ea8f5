// Test controls for webhook delivery (mounted under /__sandbox/webhooks): configure the receiver and
// the delivery quirks, inject a change, flush, and read the delivery log. Nothing here exists at Intuit.
import express, { type Response } from 'express';
import { z } from 'zod';
import type { ResolvedWebhookConfig, WebhookDispatcher } from './webhook-types.js';

export const configPatchSchema = z
  .object({
    url: z.union([z.string().url(), z.null()]),
    verifierToken: z.string().min(1).max(500),
    format: z.enum(['classic', 'cloudevents']),
    batchDelayMs: z.number().int().min(0).max(600_000),
    duplicate: z.boolean(),
    outOfOrder: z.boolean(),
    maxRetries: z.number().int().min(0).max(20),
    retryDelayMs: z.number().int().min(0).max(3_600_000),
    timeoutMs: z.number().int().min(1).max(600_000),
  })
  .partial()
  .strict();

const changeSchema = z
  .object({
    realmId: z.string().min(1),
    entityName: z.string().min(1),
    id: z.string().min(1),
    operation: z.enum(['Create', 'Update', 'Delete', 'Void', 'Merge', 'Emailed']),
    lastUpdated: z.iso.datetime({ offset: true }).optional(),
    deletedId: z.string().min(1).optional(),
  })
  .strict();

const badRequest = (res: Response, error: z.ZodError) =>
  res.status(400).json({
    error: 'invalid_request',
    issues: error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })),
  });

/** The configuration as shown to callers: the verifier token is a secret, so only its presence shows. */
export const publicConfig = ({ verifierToken, ...rest }: ResolvedWebhookConfig) => ({
  ...rest,
  url: rest.url ?? null,
  verifierTokenSet: verifierToken.length > 0,
});

export const createWebhookControlsRouter = (deps: {
  dispatcher: () => WebhookDispatcher;
  now: () => Date;
  clearDeliveries: () => void;
}): express.Router => {
  const router = express.Router();
  router.use(express.json({ limit: '64kb' }));

  router.get('/config', (_req, res) => void res.json(publicConfig(deps.dispatcher().config())));
  router.put('/config', (req, res) => {
    const parsed = configPatchSchema.safeParse(req.body ?? {});
    if (!parsed.success) return void badRequest(res, parsed.error);
    res.json(publicConfig(deps.dispatcher().configure(parsed.data)));
  });

  router.post('/notify', (req, res) => {
    const parsed = changeSchema.safeParse(req.body ?? {});
    if (!parsed.success) return void badRequest(res, parsed.error);
    const { lastUpdated, ...change } = parsed.data;
    deps.dispatcher().notify({ ...change, lastUpdated: lastUpdated ? new Date(lastUpdated) : deps.now() });
    res.status(202).json({ accepted: true });
  });

  router.post('/flush', async (_req, res) => {
    await deps.dispatcher().flush();
    res.json({ deliveries: deps.dispatcher().deliveries().length });
  });

  router.get('/deliveries', (_req, res) => void res.json({ deliveries: deps.dispatcher().deliveries() }));
  router.delete('/deliveries', (_req, res) => {
    deps.clearDeliveries();
    res.status(204).end();
  });

  return router;
};
