// The admin web app in real Chromium against the real api, projector, worker and QBO sandbox: sign in,
// create a tenant, connect through the sandbox's consent page, pull customers and see them listed; edit one
// through the records API and push it; make a push fail by fault injection, read the hint, retry to success;
// an auditor who cannot press Push; and a grant QuickBooks refuses, shown down until Reconnect. Screenshots of
// every step land in test-results/browser/.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser } from '../../apps/api/test/support/auth.js';
import { ADMIN, type BrowserWorld, CHROMIUM, chromiumMissing, startBrowserWorld } from './support/browser-world.js';

if (chromiumMissing) {
  // Said out loud, not skipped silently: .ci/run installs Debian's chromium.
  console.warn(`browser tests skipped: no chromium at ${CHROMIUM} (apt-get install -y --no-install-recommends chromium)`);
}

const until = async (check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
};

const signIn = async (page: Page, credentials: { email: string; password: string }) => {
  await page.goto('/');
  await page.getByLabel('Email').fill(credentials.email);
  await page.getByLabel(/^Password/).fill(credentials.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
};

const runStatus = (page: Page, type: string) => page.locator(`[data-testid="sync-row-${type}"] [data-testid="run-progress"]`);

describe.skipIf(chromiumMissing)(chromiumMissing ? `admin web app in Chromium: skipped, no chromium at ${CHROMIUM}` : `admin web app in Chromium (${CHROMIUM})`, () => {
  let world: BrowserWorld;
  let admin: Page;

  beforeAll(async () => {
    world = await startBrowserWorld('browser');
    admin = await world.newPage();
  }, 180_000);
  afterAll(async () => {
    await world?.close();
  });

  it('signs in, creates a tenant, connects through the sandbox consent page, pulls customers and lists them', { timeout: 120_000 }, async () => {
    await admin.goto('/');
    await admin.getByRole('button', { name: 'Sign in' }).waitFor();
    await world.screenshot(admin, '01-login');
    await signIn(admin, { email: ADMIN.email, password: 'wrong password!' });
    await admin.getByRole('alert').filter({ hasText: 'email or password is wrong' }).waitFor();
    await signIn(admin, ADMIN);

    await admin.getByText('No tenants yet').waitFor();
    await admin.getByRole('button', { name: 'New tenant' }).click();
    await admin.getByLabel('Name').fill('Acme Inc.');
    await admin.getByLabel('Tenant id').fill('acme');
    await world.screenshot(admin, '02-new-tenant');
    await admin.getByRole('button', { name: 'Create tenant' }).click();
    await admin.waitForURL('**/t/acme');

    await admin.locator('[data-testid="connection-card"][data-state="not_connected"]').waitFor();
    await world.screenshot(admin, '03-not-connected');
    await admin.getByRole('button', { name: 'Connect to QuickBooks' }).click();
    // Intuit's consent page, as the sandbox draws it.
    await admin.getByRole('button', { name: 'Connect' }).waitFor();
    await world.screenshot(admin, '04-sandbox-consent');
    await admin.getByRole('button', { name: 'Connect' }).click();
    await admin.getByRole('heading', { name: /Connected to Sandbox Company_US_1/ }).waitFor();
    await admin.getByRole('link', { name: 'Back to qbo-sync' }).click();

    await admin.goto('/t/acme');
    await until(async () => {
      if ((await admin.locator('[data-testid="connection-card"][data-state="connected"]').count()) > 0) return true;
      await admin.reload();
      await admin.locator('[data-testid="connection-card"]').waitFor();
      return false;
    }, 'the connection card to show connected');
    expect(await admin.getByTestId('company-name').textContent()).toBe('Sandbox Company_US_1');
    expect(await admin.getByTestId('health-badge').textContent()).toBe('healthy');

    await admin.getByRole('button', { name: 'Pull customers' }).click();
    await admin.getByText('Pull of customers started').waitFor();
    await runStatus(admin, 'customer').first().waitFor();
    await world.screenshot(admin, '05-pull-running');
    await admin.locator('[data-testid="sync-row-customer"] [data-testid="run-progress"][data-status="completed"]').waitFor({ timeout: 60_000 });
    await world.screenshot(admin, '06-pull-completed');

    await admin.getByRole('link', { name: 'Records' }).click();
    await admin.getByTestId('record-row').first().waitFor();
    expect(await admin.getByTestId('record-row').count()).toBe(3);
    expect(await admin.getByTestId('qbo-id').first().textContent()).toMatch(/^QBO #\d+$/);
    expect(await admin.locator('[data-testid="sync-status"][data-status="synced"]').count()).toBe(3);
    await world.screenshot(admin, '07-records');
  });

  let apiKey = '';
  const recordsApi = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${world.url}/v1/tenants/acme/records/customer${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(response.status).toBeLessThan(300);
    return (await response.json()) as Record<string, unknown>;
  };
  const firstTwoCustomers = async () => {
    const page = (await recordsApi('GET', '?limit=10')) as { items: { localId: string; record: Record<string, unknown>; link: { syncToken: string } }[] };
    return page.items.slice(0, 2);
  };

  it('edits a customer through the records API with a key made in the app, pushes it, and shows the activity and the new SyncToken', { timeout: 120_000 }, async () => {
    await admin.getByRole('link', { name: 'API keys' }).click();
    await admin.getByRole('button', { name: 'New API key' }).click();
    await admin.getByLabel(/^Name/).fill('Browser test ERP');
    await admin.getByRole('button', { name: 'Create key' }).click();
    apiKey = (await admin.getByTestId('new-api-key').textContent()) ?? '';
    expect(apiKey).toMatch(/^qsk_/);
    await world.screenshot(admin, '09-api-key-shown-once');
    await admin.getByRole('button', { name: 'Done' }).click();

    const [customer] = await firstTwoCustomers();
    if (customer === undefined) throw new Error('no customer was pulled');
    const before = Number(customer.link.syncToken);
    await recordsApi('PUT', `/${encodeURIComponent(customer.localId)}`, { ...customer.record, notes: 'Edited through the records API' });

    await admin.getByRole('link', { name: 'Overview' }).click();
    await admin.getByRole('button', { name: 'Push customers' }).click();
    await admin.getByText('Push of customers started').waitFor();
    await admin.locator('[data-testid="sync-row-customer"] [data-testid="run-progress"][data-status="completed"]').waitFor({ timeout: 60_000 });

    await admin.getByRole('link', { name: 'Activity' }).click();
    await admin.getByTestId('activity-row').filter({ hasText: 'push' }).first().waitFor();
    await world.screenshot(admin, '10-activity');
    await admin.getByTestId('activity-row').filter({ hasText: 'push' }).first().getByRole('link', { name: /Details/ }).click();
    await admin.locator('[data-testid="run-record"][data-outcome="updated"]').waitFor();
    await world.screenshot(admin, '11-push-run-detail');

    await admin.getByRole('link', { name: 'Records' }).click();
    const row = admin.locator(`[data-testid="record-row"][data-local-id="${customer.localId}"]`);
    await row.waitFor();
    // The list may first show what it held from the last visit, then what it fetches on the way in.
    await until(async () => (await row.getByTestId('sync-token').textContent()) === `v${before + 1}`, `SyncToken v${before + 1} on the records page`);
    expect(await row.locator('[data-testid="sync-status"]').getAttribute('data-status')).toBe('synced');
    await world.screenshot(admin, '12-records-new-synctoken');

    // Settings: the modes the engine does not carry out yet are offered disabled and say so.
    await admin.getByRole('link', { name: 'Sync settings' }).click();
    const settings = admin.getByTestId('settings-customer');
    await settings.getByText('Defaults apply').waitFor();
    await settings.getByLabel('Mode').click();
    const realtime = admin.getByRole('option', { name: /Real-time .* not supported yet/ });
    await realtime.waitFor();
    expect(await realtime.getAttribute('aria-disabled')).toBe('true');
    await world.screenshot(admin, '15-settings');
    await admin.keyboard.press('Escape');
    await admin.getByRole('link', { name: 'Review queue' }).click();
    await admin.getByText('Nothing waits for review.').waitFor();
  });

  it('shows a push that failed through fault injection with its fix hint, and retries it to success', { timeout: 120_000 }, async () => {
    const [, customer] = await firstTwoCustomers();
    if (customer === undefined) throw new Error('no second customer');
    await recordsApi('PUT', `/${encodeURIComponent(customer.localId)}`, { ...customer.record, phone: '555-0100' });
    const realmId = world.sandbox.realms()[0];
    await world.control('POST', '/faults', { action: 'error', realmId, operation: 'batch', times: 100 });

    await admin.getByRole('link', { name: 'Overview' }).click();
    await admin.getByRole('button', { name: 'Push customers' }).click();
    const failed = admin.locator('[data-testid="sync-row-customer"] [data-testid="run-progress"][data-status="completed_with_failures"]');
    await failed.waitFor({ timeout: 60_000 });
    await failed.getByRole('link', { name: 'Details' }).click();
    const failure = admin.locator('[data-testid="run-record"][data-outcome="failed"]');
    await failure.waitFor();
    expect(await failure.getByTestId('error-hint').textContent()).toMatch(/^Fix: .{10,}/);
    await world.screenshot(admin, '13-failure-with-hint');

    // The retry's batch call is held for a few seconds, so its page opens while the run is still going:
    // the page must then show the end state and the record's outcome by itself, with no reload.
    await world.control('DELETE', '/faults');
    await world.control('POST', '/faults', { action: 'latency', latencyMs: 6_000, realmId, operation: 'batch', times: 1 });
    await admin.getByRole('button', { name: 'Retry failed records' }).click();
    await admin.getByText(/Retrying the failed records/).waitFor();
    await admin.locator('[data-testid="run-status"]:is([data-status="requested"], [data-status="running"])').waitFor({ timeout: 5_000 });
    await admin.locator('[data-testid="run-status"][data-status="completed"]').waitFor({ timeout: 60_000 });
    await admin.locator('[data-testid="run-record"][data-outcome="updated"]').waitFor({ timeout: 10_000 });
    await world.screenshot(admin, '14-retried-to-success');
  });

  it('shows the API reference rendered from the api\'s own OpenAPI document, under the security policy', { timeout: 60_000 }, async () => {
    const refused: string[] = [];
    const errors: string[] = [];
    admin.on('console', (message) => {
      if (message.type() !== 'error') return;
      errors.push(message.text());
      if (/Content Security Policy|Refused to/i.test(message.text())) refused.push(message.text());
    });
    admin.on('pageerror', (error) => errors.push(String(error)));
    await admin.getByRole('link', { name: 'API reference' }).click();
    const reference = admin.getByTestId('api-reference');
    // Operations from the document: the first tag open with its summaries, the others listing their paths.
    await reference.getByRole('heading', { name: /Sign in: sets the session cookie/ }).first().waitFor({ timeout: 30_000 });
    await reference.getByText('/v1/tenants/{tenant}/records/{type}/{localId}').first().waitFor();
    await reference.getByText('/v1/tenants/{tenant}/syncs').first().waitFor();
    await world.screenshot(admin, '16-api-reference');
    expect(refused, 'the page broke the content security policy').toEqual([]);
    expect(errors, 'the page logged errors').toEqual([]);
  });

  it('an auditor sees Push disabled and the api refuses it too', { timeout: 60_000 }, async () => {
    const auditor = await createTestUser(world.database.url, { role: 'auditor', tenants: ['acme'] });
    const page = await world.newPage();
    await signIn(page, auditor);
    await page.getByRole('link', { name: 'Open tenant Acme Inc.' }).click();
    await page.locator('[data-testid="connection-card"][data-state="connected"]').waitFor();
    const push = page.getByRole('button', { name: 'Push customers' });
    expect(await push.isDisabled()).toBe(true);
    expect(await page.getByTestId('sync-disabled-reason').textContent()).toMatch(/Read-only/);
    expect(await page.getByRole('button', { name: 'Disconnect' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'API keys' }).count()).toBe(0);
    await world.screenshot(page, '08-auditor-read-only');
    // The buttons are only manners: the api is the guard.
    const status = await page.evaluate(async () => {
      const session = (await (await fetch('/v1/auth/session')).json()) as { csrfToken: string };
      const response = await fetch('/v1/tenants/acme/syncs', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: JSON.stringify({ type: 'customer', direction: 'push' }),
      });
      return response.status;
    });
    expect(status).toBe(403);
    await page.context().close();
  });

  it('when QuickBooks refuses the grant: the run fails with the reconnect hint, Pull and Push are disabled with why, and Reconnect restores the tenant', { timeout: 120_000 }, async () => {
    // Someone disconnected the app at Intuit: the grant and its tokens are gone.
    await world.control('POST', '/oauth/revoke', { realmId: world.sandbox.realms()[0] });
    await admin.goto('/t/acme');
    await admin.getByRole('button', { name: 'Pull customers' }).click();
    const failed = admin.locator('[data-testid="sync-row-customer"] [data-testid="run-progress"][data-status="failed"]');
    await failed.waitFor({ timeout: 30_000 });
    await until(async () => {
      if ((await admin.getByTestId('connection-down').count()) > 0) return true;
      await admin.reload();
      await admin.locator('[data-testid="connection-card"]').waitFor();
      return false;
    }, 'the connection card to show the connection down');
    expect(await admin.getByTestId('health-badge').textContent()).toBe('down');
    expect(await admin.getByTestId('connection-down').textContent()).toMatch(/invalid_grant/);
    expect(await admin.getByRole('button', { name: 'Push customers' }).isDisabled()).toBe(true);
    expect(await admin.getByTestId('sync-disabled-reason').textContent()).toMatch(/no longer accepts this connection.*reconnect it above/);
    await world.screenshot(admin, '16-connection-down');

    await admin.getByRole('button', { name: 'Reconnect' }).click();
    await admin.getByRole('button', { name: 'Connect' }).waitFor();
    await admin.getByRole('button', { name: 'Connect' }).click();
    await admin.getByRole('heading', { name: /Connected to Sandbox Company_US_1/ }).waitFor();
    await admin.goto('/t/acme');
    await until(async () => {
      if ((await admin.locator('[data-testid="health-badge"]').textContent()) === 'healthy') return true;
      await admin.reload();
      await admin.locator('[data-testid="connection-card"]').waitFor();
      return false;
    }, 'the connection to show healthy again');
    expect(await admin.getByRole('button', { name: 'Push customers' }).isDisabled()).toBe(false);
    await admin.getByRole('button', { name: 'Pull customers' }).click();
    await admin.locator('[data-testid="sync-row-customer"] [data-testid="run-progress"][data-status="completed"]').waitFor({ timeout: 60_000 });
    await world.screenshot(admin, '17-reconnected');
  });
});
