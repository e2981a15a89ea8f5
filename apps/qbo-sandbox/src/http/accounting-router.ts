// /v3/company/{realmId}/…: one pipeline for every Accounting API call — bearer token, throttles,
// injected faults, requestid replay, then the operation — answering in Intuit's envelopes with a
// top-level "time".

import express from 'express';
import type { Request, Response } from 'express';
import { createRecord, deleteRecord, readRecord, updateRecord, voidRecord } from '../accounting/operations.js';
import type { RecordedChange } from '../accounting/write-context.js';
import { createWriteContext } from '../accounting/write-context.js';
import { runBatch } from '../batch/batch.js';
import { changeDataCapture } from '../cdc/change-data-capture.js';
import type { SandboxClock } from '../clock.js';
import type { FaultRuleBook } from '../controls/fault-rules.js';
import { QboFault, validationFault } from '../faults/fault.js';
import { requiredParam, serviceUnavailable, staleObject, systemFault } from '../faults/fault-catalog.js';
import { throttleBody } from '../faults/throttle-fault.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import { runQuery } from '../query/query-executor.js';
import type { Body } from '../store/company.js';
import type { RealmRegistry } from '../store/realm-registry.js';
import { pacificMillis } from '../time/pacific-time.js';
import { sendAuthFailure } from './auth-response.js';
import type { Route } from './classify-request.js';
import { classifyRequest } from './classify-request.js';
import type { SandboxSettings } from './sandbox-settings.js';

export type AccessTokenCheck = { ok: true; clientId: string } | { ok: false; reason: 'malformed' | 'expired' | 'invalid' | 'wrong_realm' };

export interface AccountingDeps {
  realms: RealmRegistry;
  clock: SandboxClock;
  verifyAccessToken(token: string, realmId: string): AccessTokenCheck;
  limiter: RateLimiter;
  faults: FaultRuleBook;
  settings: SandboxSettings;
  /** Called after every request that wrote something (webhooks, persistence). */
  onChanges(realmId: string, changes: RecordedChange[]): void;
}

/** What the request log learns about an Accounting API call. */
export interface AccountingFacts {
  realmId?: string;
  clientId?: string;
  entity?: string;
  operation?: string;
  requestId?: string;
  replayed?: boolean;
  faultCode?: string;
  injected?: string[];
  dropped?: boolean;
}

interface Outcome {
  status: number;
  body: Body;
  changes: RecordedChange[];
}

const faultOutcome = (fault: QboFault, now: Date): Outcome => ({
  status: fault.status,
  body: { Fault: fault.toFault(), time: pacificMillis(now) },
  changes: [],
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const REQUEST_ID_MAX = 50;
const BATCH_REQUEST_ID_MAX = 36;

export const createAccountingRouter = (deps: AccountingDeps): express.Router => {
  const router = express.Router({ mergeParams: true });
  router.use(express.json({ limit: '10mb', type: ['application/json', 'application/*+json'] }));
  router.use(express.text({ limit: '1mb', type: ['application/text', 'text/plain'] }));

  const execute = (route: Route, req: Request, realmId: string, forceStale: boolean): Outcome => {
    const now = deps.clock.now();
    const company = deps.realms.get(realmId)!;
    const q = req.query as Record<string, unknown>;
    const include = typeof q.include === 'string' ? q.include.toLowerCase().split(',') : [];
    try {
      switch (route.kind) {
        case 'query': {
          const text = req.method === 'GET' ? q.query : req.body;
          if (typeof text !== 'string' || text.trim() === '') throw requiredParam('query');
          return { status: 200, body: { ...runQuery(company, text), time: pacificMillis(now) }, changes: [] };
        }
        case 'cdc':
          return { status: 200, body: { ...changeDataCapture(company, q, now), time: pacificMillis(now) }, changes: [] };
        case 'batch': {
          const requestId = typeof q.requestid === 'string' ? q.requestid : undefined;
          const out = runBatch(company, req.body, now, {
            allowDuplicateDocNum: include.includes('allowduplicatedocnum'),
            forceStale,
            ...(requestId ? { maxBidLength: 10 } : {}),
          });
          return { status: 200, body: { ...out.body, time: pacificMillis(now) }, changes: out.changes };
        }
        case 'read': {
          const ctx = createWriteContext(company, now);
          const id = route.entity === 'Preferences' || route.entity === 'CompanyInfo' ? '1' : route.id!;
          if (route.entity === 'CompanyInfo' && route.id !== realmId && route.id !== '1') {
            throw validationFault('610', 'Object Not Found', 'Object Not Found : Something you\'re trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.', '');
          }
          return { status: 200, body: { [route.entity]: readRecord(ctx, route.entity, id), time: pacificMillis(now) }, changes: [] };
        }
        case 'write': {
          const ctx = createWriteContext(company, now, { allowDuplicateDocNum: include.includes('allowduplicatedocnum') });
          const opts = { forceStale };
          let result: Body;
          if (route.operation === 'create') result = createRecord(ctx, route.entity, req.body);
          else if (route.operation === 'update') {
            // CompanyInfo and Preferences exist once per company, always with Id "1".
            const body = route.entity === 'CompanyInfo' || route.entity === 'Preferences' ? { Id: '1', ...(req.body ?? {}) } : req.body;
            result = updateRecord(ctx, route.entity, body, opts);
          } else if (route.operation === 'delete') result = deleteRecord(ctx, route.entity, req.body, opts);
          else {
            // Invoices void with operation=void; payments and sales receipts with operation=update&include=void.
            const viaUpdate = q.operation === 'update';
            if ((route.entity === 'Invoice') === viaUpdate) {
              throw validationFault('500', 'Unsupported Operation', `Operation ${viaUpdate ? 'update&include=void' : 'void'} is not supported for ${route.entity}.`);
            }
            result = voidRecord(ctx, route.entity, req.body, opts);
          }
          return { status: 200, body: { [route.entity]: result, time: pacificMillis(now) }, changes: ctx.changes };
        }
        case 'unsupported':
          throw validationFault(
            '500',
            'Unsupported Operation',
            `Operation Could not find resource for relative : ${req.baseUrl}${req.path} of full path: ${req.protocol}://${req.get('host')}${req.originalUrl} is not supported.`,
          );
      }
    } catch (e) {
      if (e instanceof QboFault) return faultOutcome(e, now);
      throw e;
    }
  };

  router.all('/{*rest}', async (req: Request, res: Response) => {
    const realmId = String(req.params.realmId);
    const facts: AccountingFacts = { realmId };
    res.locals.accounting = facts;
    const now = () => deps.clock.now();

    // 1. Bearer token.
    const header = req.get('authorization') ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!token) {
      facts.faultCode = sendAuthFailure(res, 'malformed', '', now()).code;
      return;
    }
    const check = deps.verifyAccessToken(token, realmId);
    if (!check.ok) {
      facts.faultCode = sendAuthFailure(res, check.reason, token, now()).code;
      return;
    }
    facts.clientId = check.clientId;
    if (!deps.realms.get(realmId)) {
      facts.faultCode = sendAuthFailure(res, 'wrong_realm', token, now()).code;
      return;
    }

    const q = req.query as Record<string, unknown>;
    const route = classifyRequest(req.method, req.path, q, req.body);
    facts.operation = route.operation;
    if ('entity' in route && route.entity) facts.entity = route.entity;

    // 2. Throttles.
    const admission = deps.limiter.admit({ realmId, clientId: check.clientId, batch: route.kind === 'batch' });
    if (!admission.ok) {
      const t = throttleBody(deps.settings.throttleFormat, now());
      facts.faultCode = '3001';
      res.status(429).type(t.contentType).send(t.body);
      return;
    }
    res.on('close', admission.release);

    // 3. Injected faults.
    const fired = deps.faults.take({ realmId, path: req.path, method: req.method, entity: facts.entity, operation: route.operation });
    if (fired.length > 0) facts.injected = fired.map((r) => r.id);
    for (const rule of fired) if (rule.action === 'latency') await sleep(rule.latencyMs ?? 1000);
    const blocking = fired.find((r) => r.action === 'throttle' || r.action === 'error');
    if (blocking?.action === 'throttle') {
      const t = throttleBody(deps.settings.throttleFormat, now());
      facts.faultCode = '3001';
      res.status(429).type(t.contentType).send(t.body);
      return;
    }
    if (blocking?.action === 'error') {
      const fault = blocking.status === 503 ? serviceUnavailable() : systemFault();
      const out = faultOutcome(fault, now());
      facts.faultCode = fault.errors[0]!.code;
      res.status(out.status).json(out.body);
      return;
    }
    const forceStale = fired.some((r) => r.action === 'stale');
    const drop = fired.some((r) => r.action === 'drop');

    // 4. requestid: a repeat within the realm gets the first answer again and writes nothing.
    const requestId = typeof q.requestid === 'string' ? q.requestid : undefined;
    const company = deps.realms.get(realmId)!;
    const idempotent = requestId !== undefined && req.method === 'POST' && deps.settings.requestIdReplay;
    if (requestId !== undefined) facts.requestId = requestId;
    if (idempotent) {
      const max = route.kind === 'batch' ? BATCH_REQUEST_ID_MAX : REQUEST_ID_MAX;
      if (requestId.length > max || requestId.length === 0) {
        const out = faultOutcome(
          validationFault('2050', 'String length is either shorter or longer than supported by specification', `String length specified does not match the supported length. Min:1 Max:${max} supplied length:${requestId.length}`, 'requestid'),
          now(),
        );
        facts.faultCode = '2050';
        res.status(out.status).json(out.body);
        return;
      }
      const cached = company.requestIds.get(requestId);
      if (cached) {
        facts.replayed = true;
        res.status(cached.status).json(cached.body);
        return;
      }
    }

    // 5. The operation.
    let out: Outcome;
    try {
      out = forceStale && route.kind === 'write' && route.operation !== 'create' ? faultOutcome(staleObject(), now()) : execute(route, req, realmId, forceStale);
    } catch (e) {
      console.error('qbo-sandbox: unexpected error', e);
      out = faultOutcome(systemFault(), now());
    }
    if (out.body.Fault) facts.faultCode = (out.body.Fault as Body).Error?.[0]?.code;
    if (idempotent && out.status < 500) company.requestIds.set(requestId, { status: out.status, body: out.body, at: now().getTime() });
    if (out.changes.length > 0) deps.onChanges(realmId, out.changes);

    if (drop) {
      // The write is committed; the client never hears about it.
      facts.dropped = true;
      res.statusCode = 0;
      req.socket.destroy();
      return;
    }
    res.status(out.status).json(out.body);
  });

  // Unparseable JSON bodies.
  router.use((err: unknown, req: Request, res: Response, next: (e?: unknown) => void) => {
    if (err && typeof err === 'object' && 'type' in err && (err as { type: string }).type === 'entity.parse.failed') {
      const fault = validationFault('2010', 'Request has invalid or unsupported property', `Property Name:Can not parse the request body as JSON: ${(err as unknown as Error).message} specified is unsupported or invalid`);
      res.status(400).json({ Fault: fault.toFault(), time: pacificMillis(deps.clock.now()) });
      return;
    }
    next(err);
  });
  return router;
};
