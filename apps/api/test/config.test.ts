// Configuration comes from the environment through zod; a bad value stops start-up naming the variable.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ConfigurationError } from '@qbo-sync/adapters/config';
import { describe, expect, it } from 'vitest';
import { loadApiConfig } from '../src/config.js';

const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

describe('api configuration', () => {
  it('applies defaults', () => {
    expect(loadApiConfig({ DATABASE_URL })).toMatchObject({ port: 3000, host: '127.0.0.1', logLevel: 'info', migrateOnStart: true });
  });

  it('rejects a bad value naming the variable and the value', () => {
    expect(() => loadApiConfig({ DATABASE_URL, API_PORT: 'eighty' })).toThrow(/API_PORT: must be a port number \(got "eighty"\)/);
    expect(() => loadApiConfig({ DATABASE_URL, API_PORT: '70000' })).toThrow(/API_PORT: must be between 0 and 65535/);
    expect(() => loadApiConfig({ DATABASE_URL, LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL: must be one of/);
  });

  it('believes no proxy by default, and reads TRUST_PROXY as Express does, refusing what it cannot read', () => {
    expect(loadApiConfig({ DATABASE_URL }).trustProxy).toBe(false);
    expect(loadApiConfig({ DATABASE_URL, TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
    expect(loadApiConfig({ DATABASE_URL, TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(() => loadApiConfig({ DATABASE_URL, TRUST_PROXY: 'the proxy' })).toThrow(/TRUST_PROXY: must be false, true, a hop count, or addresses\/subnets/);
  });

  it('keeps metrics off unless a token or a port is set, never both, and never echoes the token', () => {
    expect(loadApiConfig({ DATABASE_URL }).metricsAccess).toEqual({ kind: 'off' });
    expect(loadApiConfig({ DATABASE_URL, METRICS_PORT: '9464' }).metricsAccess).toEqual({ kind: 'own_port', port: 9464, host: '127.0.0.1' });
    expect(() => loadApiConfig({ DATABASE_URL, METRICS_PORT: '9464', METRICS_TOKEN: 'x'.repeat(20) })).toThrow(/METRICS_PORT: set METRICS_TOKEN or METRICS_PORT, not both/);
    expect(() => loadApiConfig({ DATABASE_URL, METRICS_TOKEN: 'short-secret' })).toThrow(/METRICS_TOKEN: must be at least 16 characters$/m);
    expect(() => loadApiConfig({ DATABASE_URL, METRICS_TOKEN: 'short-secret' })).not.toThrow(/short-secret/);
  });

  it('requires DATABASE_URL and never echoes a URL, which may hold a password', () => {
    expect(() => loadApiConfig({})).toThrow(/DATABASE_URL: is required/);
    let error: unknown;
    try {
      loadApiConfig({ DATABASE_URL: 'mysql://admin:hunter2@db/x' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(String(error)).toContain('DATABASE_URL: must be a postgres:// or postgresql:// URL');
    expect(String(error)).not.toContain('hunter2');
  });

  it('stops the real process at start-up with a message naming the variable', async () => {
    const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
    const tsx = import.meta.resolve('tsx');
    const child = spawn(process.execPath, ['--import', tsx, main], {
      env: { PATH: process.env.PATH, DATABASE_URL, API_PORT: 'not-a-port' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(78);
    expect(stderr).toContain('api: invalid configuration');
    expect(stderr).toContain('API_PORT: must be a port number (got "not-a-port")');
  });
});
