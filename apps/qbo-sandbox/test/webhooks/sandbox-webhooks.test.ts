// End to end through startSandbox: writes made on the Accounting API come out as signed webhook
// POSTs at a real receiver, in the configured format.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../src/start-sandbox.js';
import { signatureIsValid, startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

const TOKEN = 'e2e-verifier-token';

describe('webhooks from Accounting API writes', () => {
  let receiver: WebhookReceiver;
  let sandbox: SandboxHandle;
  let realmId: string;
  let bearer: string;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    sandbox = await startSandbox({
      port: 0,
      limits: false,
      webhooks: { url: receiver.url, verifierToken: TOKEN, batchDelayMs: 30 },
    });
    realmId = sandbox.realms()[0]!;
    bearer = sandbox.oauthServer.mintTokens({ realmId }).access_token;
  });
  afterAll(async () => {
    await sandbox.close();
    await receiver.close();
  });
  afterEach(() => {
    receiver.received.length = 0;
  });

  const post = async (pathAndQuery: string, body: unknown) => {
    const response = await fetch(`${sandbox.accountingBaseUrl}${realmId}/${pathAndQuery}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, { Id: string; SyncToken: string }>;
  };

  it('announces a create and a sparse update as classic notifications, signed', async () => {
    const created = (await post('customer', { DisplayName: 'Webhook Customer One' })).Customer!;
    await post('customer', { Id: created.Id, SyncToken: created.SyncToken, sparse: true, CompanyName: 'Hooked Ltd' });
    await sandbox.webhooks.flush();
    const all = await receiver.waitFor(1);
    for (const p of all) expect(signatureIsValid(p.rawBody, p.headers['intuit-signature'], TOKEN)).toBe(true);
    const entities = all.flatMap((p) =>
      (
        p.json as {
          eventNotifications: Array<{
            realmId: string;
            dataChangeEvent: { entities: Array<{ name: string; id: string; operation: string }> };
          }>;
        }
      ).eventNotifications.flatMap((n) => n.dataChangeEvent.entities.map((e) => ({ realmId: n.realmId, ...e }))),
    );
    expect(entities.map((e) => [e.realmId, e.name, e.id, e.operation])).toEqual([
      [realmId, 'Customer', created.Id, 'Create'],
      [realmId, 'Customer', created.Id, 'Update'],
    ]);
  });

  it('switches to CloudEvents through the controls', async () => {
    const configured = await fetch(`${sandbox.url}/__sandbox/webhooks/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ format: 'cloudevents' }),
    });
    expect(configured.status).toBe(200);
    const created = (await post('customer', { DisplayName: 'Webhook Customer Two' })).Customer!;
    await sandbox.webhooks.flush();
    const [delivery] = await receiver.waitFor(1);
    expect(signatureIsValid(delivery!.rawBody, delivery!.headers['intuit-signature'], TOKEN)).toBe(true);
    expect(delivery!.json).toEqual([
      expect.objectContaining({
        type: 'qbo.customer.created.v1',
        intuitentityid: created.Id,
        intuitaccountid: realmId,
      }),
    ]);
  });
});
