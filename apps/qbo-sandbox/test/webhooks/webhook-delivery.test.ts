// Webhook delivery to a real local receiver: signatures, both payload formats (checked against the
// shapes of Intuit's published samples), batching, duplicates, out-of-order delivery, and retries.
import express from 'express';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxClock } from '../../src/clock.js';
import { createWebhookDispatcher, type EntityChange, type WebhookDispatcher } from '../../src/webhooks/index.js';
import { signatureIsValid, startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';
import { qboFixture as fixture, itWithFixtures } from '../../../../tests/support/qbo-fixtures.js';

const TOKEN = 'verifier-token-for-tests';
const REALM_A = '9341453050071201';
const REALM_B = '9341453050071202';

const change = (overrides: Partial<EntityChange> = {}): EntityChange => ({
  realmId: REALM_A,
  entityName: 'Customer',
  id: '1',
  operation: 'Create',
  lastUpdated: new Date('2025-09-08T20:52:31.657Z'),
  ...overrides,
});

const keysDeep = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.length > 0 ? [keysDeep(value[0])] : [];
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .map(([k, v]) => [k, keysDeep(v)])
        .sort(([a], [b]) => String(a).localeCompare(String(b))),
    );
  return typeof value;
};

describe('webhook delivery', () => {
  let receiver: WebhookReceiver;
  let dispatcher: WebhookDispatcher;
  const clock = createSandboxClock(new Date('2025-09-08T20:52:32.000Z'));

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(() => receiver.close());
  afterEach(async () => {
    await dispatcher?.stop();
    receiver.received.length = 0;
    receiver.script();
  });

  const start = (config: Parameters<typeof createWebhookDispatcher>[0]['config'] = {}) => {
    dispatcher = createWebhookDispatcher({
      clock,
      config: { url: receiver.url, verifierToken: TOKEN, batchDelayMs: 20, retryDelayMs: 10, ...config },
    });
    return dispatcher;
  };

  itWithFixtures("signs the classic payload with the verifier token and sends Intuit's headers", async () => {
    start();
    dispatcher.notify(change({ realmId: '310687', entityName: 'Account', id: '1234' }));
    await dispatcher.flush();
    const [post] = receiver.received;
    expect(post).toBeDefined();
    expect(signatureIsValid(post!.rawBody, post!.headers['intuit-signature'], TOKEN)).toBe(true);
    expect(signatureIsValid(post!.rawBody, post!.headers['intuit-signature'], 'another-token')).toBe(false);
    expect(post!.headers['content-type']).toBe('application/json');
    expect(post!.headers['intuit-notification-schema-version']).toBe('0.1');
    expect(post!.headers['intuit-t-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(post!.headers['intuit-created-time']).toMatch(/^2025-09-08T20:52:3\d\.\d{3}Z$/);
    // Same body as Intuit's 2025 sample, which records exactly this change.
    expect(post!.json).toEqual(fixture('webhook_eventnotifications_2025.json'));
  });

  itWithFixtures('batches changes that arrive within the delay into one POST, grouped by realm', async () => {
    start({ batchDelayMs: 40 });
    dispatcher.notify(change({ entityName: 'Customer', id: '1' }));
    dispatcher.notify(change({ entityName: 'Vendor', id: '1' }));
    dispatcher.notify(change({ realmId: REALM_B, entityName: 'Invoice', id: '130', operation: 'Update' }));
    await receiver.waitFor(1);
    await dispatcher.flush();
    expect(receiver.received).toHaveLength(1);
    const body = receiver.received[0]!.json as {
      eventNotifications: Array<{ realmId: string; dataChangeEvent: { entities: Array<Record<string, string>> } }>;
    };
    expect(
      body.eventNotifications.map((n) => [
        n.realmId,
        n.dataChangeEvent.entities.map((e) => `${e.name}:${e.id}:${e.operation}`),
      ]),
    ).toEqual([
      [REALM_A, ['Customer:1:Create', 'Vendor:1:Create']],
      [REALM_B, ['Invoice:130:Update']],
    ]);
    expect(keysDeep(body)).toEqual(keysDeep(fixture('webhook_eventnotifications_docsample.json')));

    dispatcher.notify(change({ id: '2' }));
    await receiver.waitFor(2);
    expect(receiver.received).toHaveLength(2);
  });

  it('puts deletedId on merges in the classic payload', async () => {
    start();
    dispatcher.notify(change({ operation: 'Merge', id: '123', deletedId: '27' }));
    await dispatcher.flush();
    const body = receiver.received[0]!.json as {
      eventNotifications: Array<{ dataChangeEvent: { entities: unknown[] } }>;
    };
    expect(body.eventNotifications[0]!.dataChangeEvent.entities[0]).toEqual({
      name: 'Customer',
      id: '123',
      operation: 'Merge',
      lastUpdated: '2025-09-08T20:52:31.657Z',
      deletedId: '27',
    });
  });

  itWithFixtures('sends CloudEvents when switched, one event per change, signed the same way', async () => {
    start({ format: 'cloudevents' });
    dispatcher.notify(change({ entityName: 'Account', id: '1234', realmId: '310687' }));
    dispatcher.notify(change({ entityName: 'Customer', id: '123', operation: 'Merge', deletedId: '27' }));
    dispatcher.notify(change({ entityName: 'Invoice', id: '9', operation: 'Void' }));
    await dispatcher.flush();
    expect(receiver.received).toHaveLength(1);
    const post = receiver.received[0]!;
    expect(signatureIsValid(post.rawBody, post.headers['intuit-signature'], TOKEN)).toBe(true);
    const events = post.json as Array<Record<string, unknown>>;
    expect(events).toHaveLength(3);
    const sample = (fixture('webhook_cloudevents.json') as Array<Record<string, unknown>>)[0]!;
    expect(Object.keys(events[0]!).sort()).toEqual(Object.keys(sample).sort());
    expect(events[0]).toMatchObject({
      specversion: '1.0',
      type: 'qbo.account.created.v1',
      datacontenttype: 'application/json',
      intuitentityid: '1234',
      intuitaccountid: '310687',
      time: '2025-09-08T20:52:31.657Z',
      data: {},
    });
    expect(events[0]!.source).toMatch(/^intuit\./);
    expect(events[1]).toMatchObject({ type: 'qbo.customer.merged.v1', data: { deletedid: '27' } });
    expect(events[2]).toMatchObject({ type: 'qbo.invoice.voided.v1' });
    expect(new Set(events.map((e) => e.id)).size).toBe(3);
  });

  it('delivers every POST twice on demand, byte for byte (same CloudEvents ids)', async () => {
    start({ format: 'cloudevents', duplicate: true });
    dispatcher.notify(change());
    await dispatcher.flush();
    expect(receiver.received).toHaveLength(2);
    const [first, second] = receiver.received;
    expect(second!.rawBody).toBe(first!.rawBody);
    expect(second!.headers['intuit-signature']).toBe(first!.headers['intuit-signature']);
    expect(dispatcher.deliveries().map((d) => d.copy)).toEqual([1, 2]);
  });

  it('delivers out of order on demand: newest change first, one POST each', async () => {
    start({ outOfOrder: true });
    dispatcher.notify(change({ id: '7', operation: 'Create', lastUpdated: new Date('2025-09-08T20:00:00.000Z') }));
    dispatcher.notify(change({ id: '7', operation: 'Update', lastUpdated: new Date('2025-09-08T20:05:00.000Z') }));
    await dispatcher.flush();
    const seen = receiver.received.map((p) => {
      const entity = (
        p.json as {
          eventNotifications: Array<{
            dataChangeEvent: { entities: Array<{ operation: string; lastUpdated: string }> };
          }>;
        }
      ).eventNotifications[0]!.dataChangeEvent.entities[0]!;
      return `${entity.operation}@${entity.lastUpdated}`;
    });
    expect(seen).toEqual(['Update@2025-09-08T20:05:00.000Z', 'Create@2025-09-08T20:00:00.000Z']);
  });

  it('retries with backoff after 5xx answers and dropped connections, then delivers', async () => {
    start({ maxRetries: 3, retryDelayMs: 20 });
    receiver.script(503, 'drop', 200);
    dispatcher.notify(change());
    const started = Date.now();
    await dispatcher.flush();
    expect(receiver.received.map((p) => p.answer)).toEqual([503, 'drop', 200]);
    // 20 ms then 40 ms between attempts.
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(new Set(receiver.received.map((p) => p.rawBody)).size).toBe(1);
    expect(dispatcher.deliveries().map((d) => [d.attempt, d.status, d.outcome])).toEqual([
      [1, 503, 'retrying'],
      [2, null, 'retrying'],
      [3, 200, 'delivered'],
    ]);
    expect(dispatcher.deliveries()[1]!.error).toBeTruthy();
  });

  it('gives up after maxRetries, and does not retry answers Intuit does not retry', async () => {
    start({ maxRetries: 2 });
    receiver.script(500, 502, 504, 200);
    dispatcher.notify(change({ id: '1' }));
    await dispatcher.flush();
    expect(dispatcher.deliveries().map((d) => d.outcome)).toEqual(['retrying', 'retrying', 'failed']);

    receiver.received.length = 0;
    receiver.script(400);
    dispatcher.notify(change({ id: '2' }));
    await dispatcher.flush();
    expect(receiver.received).toHaveLength(1);
    expect(dispatcher.deliveries().at(-1)).toMatchObject({ status: 400, outcome: 'failed', attempt: 1 });
  });

  it('treats a receiver that does not answer in time as failed and retries', async () => {
    start({ timeoutMs: 100, maxRetries: 1 });
    receiver.script('hang', 200);
    dispatcher.notify(change());
    await dispatcher.flush();
    expect(dispatcher.deliveries().map((d) => [d.status, d.outcome])).toEqual([
      [null, 'retrying'],
      [200, 'delivered'],
    ]);
    expect(dispatcher.deliveries()[0]!.error).toContain('100 ms');
  });

  it('sends nothing while no URL is configured', async () => {
    start({ url: undefined });
    dispatcher.configure({ url: null });
    dispatcher.notify(change());
    await dispatcher.flush();
    expect(receiver.received).toHaveLength(0);
    expect(dispatcher.deliveries()).toHaveLength(0);
  });

  it('keeps its configuration through snapshot and restore, and forgets everything on reset', async () => {
    start({ format: 'cloudevents', duplicate: true });
    const state = JSON.parse(JSON.stringify(dispatcher.snapshot())) as unknown;
    let changes = 0;
    const other = createWebhookDispatcher({ clock, onChange: () => void (changes += 1) });
    other.restore(state);
    other.configure({ duplicate: false });
    expect(changes).toBe(1);
    other.configure({ duplicate: true });
    expect(other.config()).toEqual(dispatcher.config());
    expect(() => other.restore({ version: 2 })).toThrow();
    dispatcher.notify(change());
    await dispatcher.flush();
    dispatcher.reset();
    expect(dispatcher.deliveries()).toHaveLength(0);
    expect(dispatcher.config().format).toBe('cloudevents'); // the options it was created with
    await other.stop();
  });
});

describe('/__sandbox/webhooks controls', () => {
  let receiver: WebhookReceiver;
  let dispatcher: WebhookDispatcher;
  let base: string;
  let close: () => void;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    dispatcher = createWebhookDispatcher({ clock: createSandboxClock(), config: { batchDelayMs: 10_000 } });
    const app = express();
    app.use('/__sandbox/webhooks', dispatcher.controlsRouter);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/__sandbox/webhooks`;
    close = () => server.close();
  });
  afterAll(async () => {
    await dispatcher.stop();
    close();
    await receiver.close();
  });

  const call = async (path: string, method = 'GET', body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return {
      status: response.status,
      body: response.status === 204 ? null : ((await response.json()) as Record<string, unknown>),
    };
  };

  it('configures the receiver without ever showing the verifier token', async () => {
    const configured = await call('/config', 'PUT', {
      url: receiver.url,
      verifierToken: 'shh-secret',
      format: 'cloudevents',
    });
    expect(configured.status).toBe(200);
    expect(configured.body).toMatchObject({ url: receiver.url, format: 'cloudevents', verifierTokenSet: true });
    expect(JSON.stringify((await call('/config')).body)).not.toContain('shh-secret');

    const bad = await call('/config', 'PUT', { format: 'xml', batchDelayMs: -1, bogus: true });
    expect(bad.status).toBe(400);
    expect((bad.body?.issues as Array<{ path: string }>).map((i) => i.path).sort()).toEqual([
      '(body)',
      'batchDelayMs',
      'format',
    ]);
  });

  it('accepts injected changes, flushes them on demand and lists the deliveries', async () => {
    await call('/config', 'PUT', { url: receiver.url, verifierToken: 'shh-secret', format: 'classic' });
    expect(
      (await call('/notify', 'POST', { realmId: REALM_A, entityName: 'Invoice', id: '5', operation: 'Delete' })).status,
    ).toBe(202);
    expect(
      (await call('/notify', 'POST', { realmId: REALM_A, entityName: 'Invoice', operation: 'Remove' })).status,
    ).toBe(400);
    // The batch delay is 10 s, so only the flush sends it.
    expect(receiver.received).toHaveLength(0);
    expect(await call('/flush', 'POST')).toEqual({ status: 200, body: { deliveries: 1 } });
    expect(
      signatureIsValid(receiver.received[0]!.rawBody, receiver.received[0]!.headers['intuit-signature'], 'shh-secret'),
    ).toBe(true);
    const log = await call('/deliveries');
    expect(log.body?.deliveries).toEqual([
      expect.objectContaining({ outcome: 'delivered', status: 200, eventCount: 1, realmIds: [REALM_A] }),
    ]);
    expect(JSON.stringify(log.body)).not.toContain('shh-secret');
    expect((await call('/deliveries', 'DELETE')).status).toBe(204);
    expect((await call('/deliveries')).body?.deliveries).toEqual([]);
  });
});
