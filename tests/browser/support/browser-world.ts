// Everything a browser test needs, real and in this process: a database, the QBO sandbox (its consent page
// asks, it does not auto-approve), the api serving a fresh build of the admin web app, the projector and the
// worker; and Debian's chromium driven by playwright-core. Screenshots go to test-results/browser/.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createLogger } from '@qbo-sync/adapters/config';
import { freePort } from '@qbo-sync/adapters/embedded-postgres';
import { type TestDatabase, createTestDatabase } from '@qbo-sync/adapters/testing';
import { type Browser, type Page, chromium } from 'playwright-core';
import { type Api, TOKENS as API, createApiContainer } from '../../../apps/api/src/composition-root.js';
import { loadApiConfig } from '../../../apps/api/src/config.js';
import { type Projector, TOKENS as PROJECTOR, createProjectorContainer } from '../../../apps/projector/src/composition-root.js';
import { loadProjectorConfig } from '../../../apps/projector/src/config.js';
import { type SandboxHandle, startSandbox } from '../../../apps/qbo-sandbox/src/index.js';
import { TOKENS as WORKER, type Worker, createWorkerContainer } from '../../../apps/worker/src/composition-root.js';
import { loadWorkerConfig } from '../../../apps/worker/src/config.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
export const SCREENSHOTS = join(ROOT, 'test-results/browser');
export const chromiumMissing = !existsSync(CHROMIUM);

export const ADMIN = { email: 'admin@example.test', password: 'browser-test-password' };

export interface BrowserWorld {
  readonly url: string;
  readonly database: TestDatabase;
  readonly sandbox: SandboxHandle;
  readonly browser: Browser;
  newPage(): Promise<Page>;
  screenshot(page: Page, name: string): Promise<string>;
  control(method: string, path: string, body?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

/** Builds apps/admin-web into a temporary folder, so the test drives the current source. */
const buildAdminWeb = async (outDir: string): Promise<void> => {
  const vite = join(ROOT, 'apps/admin-web/node_modules/.bin/vite');
  await promisify(execFile)(vite, ['build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: join(ROOT, 'apps/admin-web'), timeout: 120_000 });
};

export const startBrowserWorld = async (label: string): Promise<BrowserWorld> => {
  const database = await createTestDatabase(label);
  const sandbox = await startSandbox({ port: 0, autoApprove: false, limits: false, seed: { customers: 3, vendors: 0, items: 0, invoices: 0 } });
  const dataDir = await mkdtemp(join(tmpdir(), `qbo-sync-${label}-`));
  const webDir = join(dataDir, 'admin-web');
  await buildAdminWeb(webDir);
  const port = await freePort();
  const env: Record<string, string> = {
    DATABASE_URL: database.url,
    API_PORT: String(port),
    LOG_LEVEL: 'silent',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    ADMIN_WEB_DIR: webDir,
    QBO_SANDBOX_URL: sandbox.url,
    QBO_REDIRECT_URI: `http://127.0.0.1:${port}/v1/connection/callback`,
    QBO_SYNC_DATA_DIR: dataDir,
    QBO_THROTTLE_WAIT_MS: '300',
    WORKER_POLL_INTERVAL_MS: '200',
    WORKER_HEARTBEAT_MS: '300',
    SYNC_RETRY_BASE_MS: '20',
    PROJECTOR_LOCK_POLL_MS: '200',
  };
  const silent = createLogger({ service: 'browser-test', level: 'silent' });
  const api = createApiContainer(loadApiConfig(env), { logger: silent, env }).get<Api>(API.Api);
  const url = await api.start();
  const projector = createProjectorContainer(loadProjectorConfig(env)).get<Projector>(PROJECTOR.Projector);
  await projector.start();
  const worker = createWorkerContainer(loadWorkerConfig(env), { env, logger: silent }).get<Worker>(WORKER.Worker);
  await worker.start();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  await mkdir(SCREENSHOTS, { recursive: true });

  return {
    url,
    database,
    sandbox,
    browser,
    newPage: async () => {
      const context = await browser.newContext({ baseURL: url, viewport: { width: 1280, height: 860 } });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      return page;
    },
    screenshot: async (page, name) => {
      const path = join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    control: async (method, path, body) => {
      const response = await fetch(`${sandbox.controlsUrl}${path}`, {
        method,
        ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
      if (!response.ok) throw new Error(`sandbox ${method} ${path}: ${response.status} ${await response.text()}`);
      return response.status === 204 ? null : response.json();
    },
    close: async () => {
      await browser.close().catch(() => undefined);
      await worker.stop().catch(() => undefined);
      await projector.stop().catch(() => undefined);
      await api.stop().catch(() => undefined);
      await sandbox.close().catch(() => undefined);
      await database.drop().catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};
