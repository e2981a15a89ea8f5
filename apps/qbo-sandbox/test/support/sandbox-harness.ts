// Starts a real sandbox on a free port and talks to it over HTTP, with a token from the sandbox's
// own OAuth server, so every test goes through the same stack a client does.

import type { SandboxHandle, StartSandboxOptions } from '../../src/index.js';
import { startSandbox } from '../../src/index.js';

export interface ApiResponse {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
}

export interface Harness {
  sandbox: SandboxHandle;
  realmId: string;
  token: string;
  tokenFor(realmId: string): string;
  api(method: string, path: string, body?: unknown, opts?: { realmId?: string; token?: string; contentType?: string; query?: Record<string, string> }): Promise<ApiResponse>;
  control(method: string, path: string, body?: unknown): Promise<ApiResponse>;
  close(): Promise<void>;
}

// The recorded QBO payloads (QBO_FIXTURES_DIR) through the one helper: tests that read them use
// itWithFixtures, so a clone without them skips those tests and says why.
export { qboFixture as fixture, qboFixtureText as fixtureText, itWithFixtures } from '../../../../tests/support/qbo-fixtures.js';

const request = async (url: string, method: string, body: unknown, headers: Record<string, string>): Promise<ApiResponse> => {
  const res = await fetch(url, {
    method,
    headers,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
};

export const startHarness = async (options: StartSandboxOptions = {}): Promise<Harness> => {
  const sandbox = await startSandbox({ port: 0, limits: false, ...options });
  const realmId = sandbox.realms()[0]!;
  const tokens = new Map<string, string>();
  const tokenFor = (r: string) => {
    let t = tokens.get(r);
    if (!t) {
      t = sandbox.oauthServer.mintTokens({ realmId: r }).access_token;
      tokens.set(r, t);
    }
    return t;
  };
  const token = tokenFor(realmId);
  return {
    sandbox,
    realmId,
    token,
    tokenFor,
    api(method, path, body, opts = {}) {
      const r = opts.realmId ?? realmId;
      const qs = new URLSearchParams(opts.query ?? {}).toString();
      const url = `${sandbox.accountingBaseUrl}${r}${path}${qs ? (path.includes('?') ? '&' : '?') + qs : ''}`;
      const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${opts.token ?? tokenFor(r)}` };
      if (body !== undefined) headers['Content-Type'] = opts.contentType ?? 'application/json';
      return request(url, method, body, headers);
    },
    control(method, path, body) {
      return request(`${sandbox.controlsUrl}${path}`, method, body, body === undefined ? {} : { 'Content-Type': 'application/json' });
    },
    close: () => sandbox.close(),
  };
};

/** The query string a client sends: the statement URL-encoded. */
export const q = (statement: string) => `/query?query=${encodeURIComponent(statement)}`;
