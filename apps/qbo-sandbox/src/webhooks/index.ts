// Webhook delivery as Intuit does it: changes reported by the Accounting API are batched for a short
// window, rendered as classic or CloudEvents bodies, signed with the verifier token and POSTed to the
// configured receiver, retried with backoff on failure, and optionally duplicated or reordered.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SandboxClock } from '../clock.js';
import { configPatchSchema, createWebhookControlsRouter } from './webhook-controls-router.js';
import { classicPayload, cloudEventsPayload, signWebhookBody, type PendingChange } from './webhook-payloads.js';
import { postWebhook } from './webhook-sender.js';
import {
  DEFAULT_WEBHOOK_CONFIG,
  type DeliveryAttempt,
  type EntityChange,
  type ResolvedWebhookConfig,
  type WebhookConfig,
  type WebhookDispatcher,
} from './webhook-types.js';

export * from './webhook-types.js';
export { signWebhookBody } from './webhook-payloads.js';

const DELIVERY_LOG_LIMIT = 10_000;
// Intuit retries on these answers (and on no answer at all); any other failure is dropped at once.
const RETRYABLE_STATUSES = new Set([408, 500, 502, 503, 504]);

const snapshotSchema = z.object({ version: z.literal(1), config: configPatchSchema });

const resolve = (
  base: ResolvedWebhookConfig,
  patch: Partial<Omit<WebhookConfig, 'url'>> & { url?: string | null },
): ResolvedWebhookConfig => {
  const next = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    (next as Record<string, unknown>)[key] = value === null ? undefined : value;
  }
  return next;
};

export const createWebhookDispatcher = (options: {
  clock: SandboxClock;
  config?: WebhookConfig;
  /** Called after the configuration changes, so a host can save its state file. */
  onChange?: () => void;
}): WebhookDispatcher => {
  const { clock } = options;
  const initial = resolve(DEFAULT_WEBHOOK_CONFIG, options.config ?? {});
  let config = initial;
  let pending: PendingChange[] = [];
  let batchTimer: NodeJS.Timeout | undefined;
  let log: DeliveryAttempt[] = [];
  const inFlight = new Set<Promise<void>>();
  // Bumped by reset/stop so retry loops from before give up instead of posting into a new test.
  let generation = 0;
  let stopped = false;
  const sleepers = new Set<() => void>();

  const record = (attempt: DeliveryAttempt) => {
    log.push(attempt);
    if (log.length > DELIVERY_LOG_LIMIT) log = log.slice(-DELIVERY_LOG_LIMIT);
  };

  const sleep = (ms: number) =>
    new Promise<void>((done) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        done();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });

  const wakeAll = () => {
    for (const wake of [...sleepers]) wake();
  };

  const render = (changes: readonly PendingChange[], format: ResolvedWebhookConfig['format']) =>
    JSON.stringify(format === 'cloudevents' ? cloudEventsPayload(changes) : classicPayload(changes));

  /** One body to one receiver, with Intuit's retry rule. */
  const deliver = async (
    changes: readonly PendingChange[],
    copy: number,
    deliveryId: string,
    snapshot: ResolvedWebhookConfig,
    gen: number,
  ) => {
    const url = snapshot.url;
    if (!url) return;
    const body = render(changes, snapshot.format);
    const signature = signWebhookBody(body, snapshot.verifierToken);
    const realmIds = [...new Set(changes.map((c) => c.change.realmId))];
    for (let attempt = 1; ; attempt += 1) {
      if (gen !== generation) return;
      const started = Date.now();
      const result = await postWebhook(
        url,
        body,
        {
          'content-type': 'application/json',
          'intuit-signature': signature,
          'intuit-created-time': clock.now().toISOString(),
          'intuit-t-id': randomUUID(),
          'intuit-notification-schema-version': '0.1',
          'user-agent': 'qbo-sandbox-webhooks/1',
        },
        snapshot.timeoutMs,
      );
      const ok = result.status !== null && result.status >= 200 && result.status < 300;
      const retryable = !ok && (result.status === null || RETRYABLE_STATUSES.has(result.status));
      const willRetry = retryable && attempt <= snapshot.maxRetries && gen === generation && !stopped;
      record({
        deliveryId,
        attempt,
        copy,
        at: clock.now().toISOString(),
        url,
        format: snapshot.format,
        eventCount: changes.length,
        realmIds,
        status: result.status,
        ...(result.error !== undefined ? { error: result.error } : {}),
        outcome: ok ? 'delivered' : willRetry ? 'retrying' : 'failed',
        durationMs: Date.now() - started,
        body,
        signature,
      });
      if (!willRetry) return;
      await sleep(snapshot.retryDelayMs * 2 ** (attempt - 1));
    }
  };

  const track = (work: Promise<void>) => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
    return work;
  };

  const drain = () => {
    if (batchTimer) clearTimeout(batchTimer);
    batchTimer = undefined;
    const changes = pending;
    pending = [];
    if (changes.length === 0 || !config.url) return;
    const snapshot = config;
    const gen = generation;
    // Out of order: one POST per change, newest first, each waiting for the previous one to settle,
    // so the receiver really sees the later change before the earlier one.
    const bodies = snapshot.outOfOrder ? [...changes].reverse().map((c) => [c]) : [changes];
    track(
      (async () => {
        for (const batch of bodies) {
          const deliveryId = randomUUID();
          await deliver(batch, 1, deliveryId, snapshot, gen);
          if (snapshot.duplicate) await deliver(batch, 2, deliveryId, snapshot, gen);
        }
      })(),
    );
  };

  const settle = async () => {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  };

  // The router reaches the dispatcher lazily, at request time, so it can be built first.
  const controlsRouter = createWebhookControlsRouter({
    dispatcher: () => dispatcher,
    now: () => clock.now(),
    clearDeliveries: () => {
      log = [];
    },
  });

  const dispatcher: WebhookDispatcher = {
    notify(change: EntityChange) {
      if (stopped || !config.url) return;
      pending.push({ change: { ...change }, eventId: randomUUID() });
      if (!batchTimer) {
        batchTimer = setTimeout(drain, config.batchDelayMs);
        batchTimer.unref();
      }
    },
    controlsRouter,
    async flush() {
      drain();
      await settle();
    },
    deliveries: () => log,
    configure(patch) {
      config = resolve(config, patch);
      options.onChange?.();
      return config;
    },
    config: () => config,
    async stop() {
      stopped = true;
      generation += 1;
      if (batchTimer) clearTimeout(batchTimer);
      batchTimer = undefined;
      pending = [];
      wakeAll();
      await settle();
    },
    snapshot: () => ({ version: 1, config: { ...config, url: config.url ?? null } }),
    restore(state) {
      const parsed = snapshotSchema.parse(state);
      config = resolve(DEFAULT_WEBHOOK_CONFIG, parsed.config);
    },
    reset() {
      generation += 1;
      if (batchTimer) clearTimeout(batchTimer);
      batchTimer = undefined;
      pending = [];
      log = [];
      config = initial;
      wakeAll();
    },
  };
  return dispatcher;
};
