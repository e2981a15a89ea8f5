// Test support: the QBO sandbox as a real child process (packages may not import apps, so it is spawned
// by path), driven through its HTTP controls: auto-approve, token lifetimes, limits, faults, request log.

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));
const TSX = `${ROOT}node_modules/.bin/tsx`;
const MAIN = `${ROOT}apps/qbo-sandbox/src/main.ts`;

export interface SandboxProcess {
  readonly url: string;
  readonly realmId: string;
  control(method: string, path: string, body?: unknown): Promise<unknown>;
  /** Token endpoint calls (no token values). */
  tokenLog(): Promise<Array<{ endpoint: string; grantType?: string; status: number; error?: string; rotated?: boolean; realmId?: string }>>;
  requests(realmId?: string): Promise<Array<{ at: string; path: string; query: Record<string, string>; status: number; faultCode?: string; durationMs: number; realmId?: string; intuitTid: string }>>;
  stop(): Promise<void>;
}

export const startSandboxProcess = async (env: Record<string, string> = {}): Promise<SandboxProcess> => {
  const child: ChildProcess = spawn(TSX, [MAIN], {
    cwd: ROOT,
    env: { ...process.env, QBO_SANDBOX_PORT: '0', QBO_SANDBOX_HOST: '127.0.0.1', QBO_SANDBOX_AUTO_APPROVE: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<{ url: string; realmId: string }>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /qbo-sandbox listening on (\S+)/.exec(output)?.[1];
      const realm = /realms: (\d+)/.exec(output)?.[1];
      if (url && realm) resolve({ url, realmId: realm });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`qbo-sandbox exited with ${code} before listening:\n${output}`)));
    setTimeout(() => reject(new Error(`qbo-sandbox did not start within 30 s:\n${output}`)), 30_000).unref();
  });
  const { url, realmId } = await ready;
  const control = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}/__sandbox${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`sandbox control ${method} ${path} answered ${response.status}: ${await response.text()}`);
    return response.status === 204 ? null : response.json();
  };
  return {
    url,
    realmId,
    control,
    tokenLog: async () => ((await control('GET', '/oauth/log')) as { entries: [] }).entries,
    requests: async (realm) => ((await control('GET', `/requests${realm ? `?realmId=${realm}` : ''}`)) as { requests: [] }).requests,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
};
