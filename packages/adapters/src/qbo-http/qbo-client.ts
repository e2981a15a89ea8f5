// The one way this service calls the QuickBooks Accounting API: base URL and minorversion in one place,
// the bearer token from the token source with one refresh after a 401, the shared per-realm rate limiter,
// retries for throttles and server errors (exponential backoff with full jitter), typed QboErrors, and
// intuit_tid in every log line. Writes are retried only when they carry a requestid, so a retry can never
// create twice. A 429 is reported to the limiter, which says how long to wait (until the realm's window
// frees, or a full window when another app filled it; at most `throttleWaitMs`) and makes every other
// caller of the realm wait with it; the wait rides on the error (QboThrottleError) for callers that retry
// on their own, like the batch writer.

import { setTimeout as sleep } from 'node:timers/promises';
import type { CallOutcomeKind } from '@qbo-sync/domain';
import type { Logger } from 'pino';
import type { AccessGrant, AccessTokenSource } from './access-token-source.js';
import { QboError, qboErrorFrom } from './qbo-error.js';
import type { RateLease, RateLimiter, ThrottleWait } from '../postgres/postgres-rate-limiter.js';

/** A 429, with how long the realm is throttled from the moment it was answered. */
export class QboThrottleError extends QboError {
  constructor(
    error: QboError,
    readonly wait: ThrottleWait,
  ) {
    super(error.status, error.code, error.fault, error.intuitTid, error.realmId, 'throttle');
  }
}

/** The wait a throttled call asks for, when the client that made it knew it. */
export const throttleWaitOf = (error: unknown): number | undefined => (error instanceof QboThrottleError ? error.wait.waitMs : undefined);

export interface CallOutcomeRecorder {
  record(tenantId: string, realmId: string, kind: CallOutcomeKind): void;
}

export interface QboClientOptions {
  /** Parent of `/v3/company/{realm}`. */
  readonly accountingBaseUrl: string;
  readonly minorVersion: number;
  readonly tokens: AccessTokenSource;
  readonly limiter: RateLimiter | null;
  readonly logger: Logger;
  readonly outcomes?: CallOutcomeRecorder;
  /** The longest wait after a 429, and the full window an unexpected 429 waits; Intuit says 60 s. */
  readonly throttleWaitMs?: number;
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly timeoutMs?: number;
}

export interface QboRequest {
  readonly tenantId: string;
  readonly method: 'GET' | 'POST';
  /** Below `/v3/company/{realm}`, e.g. `/customer/12` or `/query`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /** `application/text` for POSTed queries; JSON otherwise. */
  readonly contentType?: string;
  /** Counts against the batch limit (40 a minute). */
  readonly batch?: boolean;
  /** Deterministic id that makes a write safe to retry (QBO replays the first answer). */
  readonly requestId?: string;
  readonly signal?: AbortSignal;
}

export interface QboResponse<T> {
  readonly status: number;
  readonly body: T;
  readonly intuitTid: string | null;
  readonly realmId: string;
}

export interface QboClient {
  request<T = unknown>(request: QboRequest): Promise<QboResponse<T>>;
  get<T = unknown>(tenantId: string, path: string, query?: Record<string, string>): Promise<T>;
  query<T = unknown>(tenantId: string, statement: string): Promise<T>;
}

const healthOf = (error: QboError): CallOutcomeKind =>
  error.kind === 'auth' ? 'auth_failure' : error.kind === 'throttle' ? 'throttle' : error.kind === 'server' ? 'server_error' : 'success';

export const createQboClient = (options: QboClientOptions): QboClient => {
  const throttleWaitMs = options.throttleWaitMs ?? 60_000;
  const maxAttempts = options.maxAttempts ?? 4;
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const base = options.accountingBaseUrl.replace(/\/+$/, '');

  const backoff = (attempt: number, error: QboError): number => {
    // A throttle says its own wait (and the limiter holds every caller of the realm until then).
    if (error.kind === 'throttle') return throttleWaitOf(error) ?? throttleWaitMs;
    // Full jitter: spread retries of many workers over the whole interval.
    return Math.floor(Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
  };

  /** How long the realm is throttled after this 429: the limiter decides (and keeps others waiting too). */
  const throttleWait = async (lease: RateLease | null, log: Logger): Promise<ThrottleWait> => {
    const flat: ThrottleWait = { waitMs: throttleWaitMs, expected: false, shared: false };
    if (lease === null) return flat;
    try {
      return await lease.throttled(throttleWaitMs);
    } catch (error) {
      // The database could not be asked: the full window is the safe wait.
      log.warn({ err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, 'could not record the throttle');
      return flat;
    }
  };

  const send = async (request: QboRequest, grant: AccessGrant, attempt: number): Promise<QboResponse<unknown>> => {
    const url = new URL(`${base}/v3/company/${encodeURIComponent(grant.realmId)}${request.path}`);
    for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, value);
    if (request.requestId !== undefined) url.searchParams.set('requestid', request.requestId);
    url.searchParams.set('minorversion', String(options.minorVersion));
    const headers: Record<string, string> = { authorization: `Bearer ${grant.accessToken}`, accept: 'application/json' };
    let payload: string | undefined;
    if (request.body !== undefined) {
      const type = request.contentType ?? 'application/json';
      headers['content-type'] = type;
      payload = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    }
    const lease = options.limiter === null ? null : await options.limiter.acquire(grant.realmId, { batch: request.batch === true, ...(request.signal ? { signal: request.signal } : {}) });
    const started = performance.now();
    const log = options.logger.child({ tenantId: request.tenantId, realmId: grant.realmId, method: request.method, path: request.path, attempt });
    let response: Response;
    try {
      const signals = [AbortSignal.timeout(timeoutMs), ...(request.signal ? [request.signal] : [])];
      response = await fetch(url, { method: request.method, headers, body: payload ?? null, signal: AbortSignal.any(signals) });
    } catch (error) {
      await lease?.release({ kind: 'failure', detail: 'network' });
      const reason = error instanceof Error ? error.name : 'unknown';
      log.warn({ reason, durationMs: Math.round(performance.now() - started) }, 'qbo call got no answer');
      throw new QboError(0, 'network', null, null, grant.realmId, 'server');
    }
    const intuitTid = response.headers.get('intuit_tid');
    const text = await response.text();
    const isJson = (response.headers.get('content-type') ?? '').includes('json');
    let body: unknown = text;
    if (isJson && text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    const durationMs = Math.round(performance.now() - started);
    if (response.status >= 400) {
      let error = qboErrorFrom(response.status, body, intuitTid, grant.realmId);
      // Noted while this call's lease still counts, so the limiter sees the realm as QBO did.
      if (error.kind === 'throttle') error = new QboThrottleError(error, await throttleWait(lease, log));
      await lease?.release({ kind: 'failure', detail: `${error.kind} ${error.code}` });
      const wait = error instanceof QboThrottleError ? error.wait : undefined;
      log.warn({ status: response.status, intuit_tid: intuitTid, kind: error.kind, code: error.code, durationMs, ...(wait ? { throttle: wait } : {}) }, 'qbo call failed');
      throw error;
    }
    await lease?.release({ kind: 'success' });
    log.debug({ status: response.status, intuit_tid: intuitTid, durationMs }, 'qbo call');
    return { status: response.status, body, intuitTid, realmId: grant.realmId };
  };

  const request = async <T>(req: QboRequest): Promise<QboResponse<T>> => {
    let grant = await options.tokens.getAccessToken(req.tenantId);
    let refreshedAfter401 = false;
    // A write without a requestid must not be repeated when its outcome is unknown.
    const mayRepeat = req.method === 'GET' || req.requestId !== undefined || req.path === '/query';
    for (let attempt = 1; ; attempt += 1) {
      try {
        const response = await send(req, grant, attempt);
        options.outcomes?.record(req.tenantId, grant.realmId, 'success');
        return response as QboResponse<T>;
      } catch (error) {
        if (!(error instanceof QboError)) throw error;
        if (error.kind === 'auth' && error.status === 401 && !refreshedAfter401) {
          refreshedAfter401 = true;
          grant = await options.tokens.refreshAfterRejection(req.tenantId, grant.accessToken);
          attempt -= 1;
          continue;
        }
        // A 429 is never executed by QBO, so even a plain write may go again after it.
        const repeatable = error.kind === 'throttle' || (error.kind === 'server' && mayRepeat);
        if (!repeatable || attempt >= maxAttempts) {
          options.outcomes?.record(req.tenantId, grant.realmId, healthOf(error));
          throw error;
        }
        if (error.kind === 'throttle' || error.kind === 'server') options.outcomes?.record(req.tenantId, grant.realmId, healthOf(error));
        const delay = backoff(attempt, error);
        options.logger.info({ tenantId: req.tenantId, realmId: grant.realmId, kind: error.kind, code: error.code, intuit_tid: error.intuitTid, delayMs: delay, attempt }, 'qbo call will be retried');
        await sleep(delay, undefined, req.signal ? { signal: req.signal } : undefined);
      }
    }
  };

  return {
    request,
    get: async <T>(tenantId: string, path: string, query?: Record<string, string>) =>
      (await request<T>({ tenantId, method: 'GET', path, ...(query ? { query } : {}) })).body,
    query: async <T>(tenantId: string, statement: string) =>
      (await request<T>({ tenantId, method: 'POST', path: '/query', body: statement, contentType: 'application/text' })).body,
  };
};
