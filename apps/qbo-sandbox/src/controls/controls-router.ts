// Test controls under /__sandbox (outside /v3, no auth: the sandbox only listens where tests and
// demos run): companies and seeding, reset, clock, fault rules, throttles, settings, request log,
// state save/load. OAuth and webhook controls are mounted beside these by the app.

import express from 'express';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { SandboxCore, SandboxSnapshot } from '../sandbox-core.js';
import { API_OPERATIONS, FAULT_ACTIONS } from './fault-rules.js';

const seedSchema = z
  .object({
    seed: z.number().int().optional(),
    customers: z.number().int().min(0).max(100_000).optional(),
    vendors: z.number().int().min(0).max(100_000).optional(),
    items: z.number().int().min(0).max(100_000).optional(),
    invoices: z.number().int().min(0).max(100_000).optional(),
    payments: z.number().int().min(0).max(100_000).optional(),
    paymentRatio: z.number().min(0).max(1).optional(),
  })
  .strict();

const companySchema = z
  .object({
    companyName: z.string().min(1).max(200),
    realmId: z.string().regex(/^\d{1,20}$/, 'realmId must be digits only').optional(),
    seed: seedSchema.optional(),
  })
  .strict();

const clockSchema = z
  .object({
    set: z.iso.datetime({ offset: true }).optional(),
    advanceMs: z.number().int().optional(),
    advanceDays: z.number().optional(),
    reset: z.literal(true).optional(),
  })
  .strict();

const faultSchema = z
  .object({
    action: z.enum(FAULT_ACTIONS as [string, ...string[]]),
    realmId: z.string().optional(),
    path: z.string().optional(),
    entity: z.string().optional(),
    operation: z.enum(API_OPERATIONS as [string, ...string[]]).optional(),
    method: z.string().optional(),
    latencyMs: z.number().int().min(0).max(300_000).optional(),
    status: z.union([z.literal(500), z.literal(503)]).optional(),
    times: z.number().int().min(1).optional(),
    skip: z.number().int().min(0).optional(),
    probability: z.number().min(0).max(1).optional(),
    seed: z.number().int().optional(),
  })
  .strict();

const limitsSchema = z.union([
  z.literal(false),
  z
    .object({
      enabled: z.boolean().optional(),
      requestsPerMinute: z.number().int().min(1).optional(),
      inFlight: z.number().int().min(1).optional(),
      batchPerMinute: z.number().int().min(1).optional(),
      batchPerMinutePerRealm: z.number().int().min(1).optional(),
    })
    .strict(),
]);

const settingsSchema = z
  .object({ requestIdReplay: z.boolean().optional(), throttleFormat: z.enum(['xml', 'json']).optional() })
  .strict();

const resetSchema = z.object({ realmId: z.string().optional(), oauth: z.boolean().optional(), webhooks: z.boolean().optional() }).strict();

const parse = <T>(schema: z.ZodType<T>, value: unknown, res: Response): T | undefined => {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  res.status(400).json({
    error: 'invalid_request',
    issues: r.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message })),
  });
  return undefined;
};

export const createControlsRouter = (core: SandboxCore, state: { save(): Promise<string | undefined> }): express.Router => {
  const router = express.Router();
  router.use(express.json({ limit: '200mb' }));

  router.get('/realms', (_req, res) => void res.json({ realms: core.realms.companies() }));
  router.post('/realms', (req, res) => {
    const body = parse(companySchema, req.body, res);
    if (!body) return;
    if (body.realmId && core.realms.get(body.realmId)) {
      res.status(409).json({ error: 'conflict', message: `realmId ${body.realmId} already exists` });
      return;
    }
    const created = core.createCompany(body);
    res.status(201).json({ realmId: created.realmId, companyName: created.companyName, seeded: created.seeded ? summary(created.seeded) : undefined });
  });
  router.delete('/realms/:realmId', (req, res) => {
    if (!core.realms.remove(req.params.realmId)) {
      res.status(404).json({ error: 'not_found', message: `No sandbox company has realmId ${req.params.realmId}` });
      return;
    }
    res.status(204).end();
  });
  router.post('/realms/:realmId/seed', (req, res) => {
    const body = parse(seedSchema, req.body, res);
    if (!body) return;
    if (!core.realms.get(req.params.realmId)) {
      res.status(404).json({ error: 'not_found', message: `No sandbox company has realmId ${req.params.realmId}` });
      return;
    }
    res.json(summary(core.seed(req.params.realmId, body)));
  });

  router.post('/reset', (req, res) => {
    const body = parse(resetSchema, req.body, res);
    if (!body) return;
    if (body.realmId && !core.realms.get(body.realmId)) {
      res.status(404).json({ error: 'not_found', message: `No sandbox company has realmId ${body.realmId}` });
      return;
    }
    core.reset(body);
    res.json({ realms: core.realms.companies() });
  });

  router.get('/clock', (_req, res) => void res.json({ now: core.clock.now().toISOString() }));
  router.post('/clock', (req, res) => {
    const body = parse(clockSchema, req.body, res);
    if (!body) return;
    if (body.reset) core.clock.reset();
    if (body.set) core.clock.set(new Date(body.set));
    if (body.advanceMs) core.clock.advance(body.advanceMs);
    if (body.advanceDays) core.clock.advance(Math.round(body.advanceDays * 86_400_000));
    res.json({ now: core.clock.now().toISOString() });
  });

  router.get('/faults', (_req, res) => void res.json({ rules: core.faults.list() }));
  router.post('/faults', (req, res) => {
    const body = parse(faultSchema, req.body, res);
    if (!body) return;
    res.status(201).json(core.faults.add(body as Parameters<typeof core.faults.add>[0]));
  });
  router.delete('/faults', (_req, res) => {
    core.faults.clear();
    res.status(204).end();
  });
  router.delete('/faults/:id', (req, res) => {
    if (!core.faults.remove(req.params.id)) {
      res.status(404).json({ error: 'not_found', message: `No fault rule ${req.params.id}` });
      return;
    }
    res.status(204).end();
  });

  router.get('/limits', (_req, res) => void res.json({ limits: core.limiter.limits() }));
  router.put('/limits', (req, res) => {
    const body = parse(limitsSchema, req.body, res);
    if (body === undefined) return;
    if (body === false || body.enabled === false) core.limiter.configure(false);
    else {
      const { enabled: _e, ...rest } = body;
      core.limiter.configure(rest);
    }
    res.json({ limits: core.limiter.limits() });
  });

  router.get('/settings', (_req, res) => void res.json(core.settings));
  router.patch('/settings', (req, res) => {
    const body = parse(settingsSchema, req.body, res);
    if (!body) return;
    Object.assign(core.settings, body);
    res.json(core.settings);
  });

  router.get('/requests', (req: Request, res) => {
    const q = req.query as Record<string, string | undefined>;
    const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
    for (const k of ['since', 'limit'] as const) {
      if (q[k] !== undefined && !Number.isInteger(num(q[k]))) {
        res.status(400).json({ error: 'invalid_request', issues: [{ field: k, message: 'must be an integer' }] });
        return;
      }
    }
    res.json({
      requests: core.requestLog.entries({
        ...(q.realmId ? { realmId: q.realmId } : {}),
        ...(q.since !== undefined ? { since: num(q.since)! } : {}),
        ...(q.limit !== undefined ? { limit: num(q.limit)! } : {}),
      }),
    });
  });
  router.delete('/requests', (_req, res) => {
    core.requestLog.clear();
    res.status(204).end();
  });

  router.get('/state', (_req, res) => void res.json(core.snapshot()));
  router.put('/state', (req, res) => {
    try {
      core.restore(req.body as SandboxSnapshot);
      res.json({ realms: core.realms.companies() });
    } catch (e) {
      res.status(400).json({ error: 'invalid_request', message: (e as Error).message });
    }
  });
  router.post('/state/save', async (_req, res) => {
    const file = await state.save();
    if (!file) {
      res.status(409).json({ error: 'no_state_file', message: 'The sandbox was started without a state file' });
      return;
    }
    res.json({ savedTo: file });
  });
  return router;
};

const summary = (s: { customers: string[]; vendors: string[]; items: string[]; invoices: string[]; payments: string[] }) => ({
  customers: s.customers,
  vendors: s.vendors,
  items: s.items,
  invoices: s.invoices,
  payments: s.payments,
});
