// Calls a test makes beside the service: the sandbox's controls (faults, request log), and the Accounting API
// as another QBO user would call it (to edit a record behind the service's back, or read what QBO holds).

import type { SandboxHandle } from '../../apps/qbo-sandbox/src/index.js';

export const sandboxControls = (sandbox: SandboxHandle) => async (method: string, path: string, body?: unknown): Promise<unknown> => {
  const res = await fetch(`${sandbox.controlsUrl}${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
  if (!res.ok) throw new Error(`sandbox ${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
};

export interface QboCalls {
  /** One call (path after /v3/company/{realm}); a string body is a query. */
  qbo(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Record<string, unknown>>;
  /** Every QBO object of an entity, inactive ones too. */
  qboAll(entity: string): Promise<Record<string, unknown>[]>;
}

export const qboCalls = (sandbox: SandboxHandle, realmId: string, accessToken: () => Promise<string>): QboCalls => {
  const qbo: QboCalls['qbo'] = async (method, path, body) => {
    const res = await fetch(`${sandbox.url}/v3/company/${realmId}${path}${path.includes('?') ? '&' : '?'}minorversion=75`, {
      method,
      headers: {
        authorization: `Bearer ${await accessToken()}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': typeof body === 'string' ? 'application/text' : 'application/json' }),
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`QBO ${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  return {
    qbo,
    qboAll: async (entity) => {
      const all: Record<string, unknown>[] = [];
      const active = entity === 'Customer' || entity === 'Item' ? ' WHERE Active IN (true, false)' : '';
      for (let start = 1; ; start += 1000) {
        const answer = (await qbo('POST', '/query', `SELECT * FROM ${entity}${active} STARTPOSITION ${start} MAXRESULTS 1000`)) as { QueryResponse: Record<string, unknown[]> };
        const page = (answer.QueryResponse[entity] ?? []) as Record<string, unknown>[];
        all.push(...page);
        if (page.length < 1000) return all;
      }
    },
  };
};
