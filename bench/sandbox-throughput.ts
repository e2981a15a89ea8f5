// How many simple Accounting API requests a second the QBO sandbox answers on loopback, so it is
// never the bottleneck of another benchmark. Starts the sandbox as its own process (throttles
// off), takes a token from its OAuth controls, then drives keep-alive GETs from several loops.
//
//   npx tsx bench/sandbox-throughput.ts [--seconds 10] [--connections 16] [--path /customer/1]

import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const seconds = Number(arg('seconds', '10'));
const connections = Number(arg('connections', '16'));
const path = arg('path', '/customer/1');
const port = Number(arg('port', '4391'));

const main = fileURLToPath(new URL('../apps/qbo-sandbox/src/main.ts', import.meta.url));
const server = spawn(process.execPath, ['--import', 'tsx', main], {
  env: { ...process.env, QBO_SANDBOX_PORT: String(port), QBO_SANDBOX_LIMITS: 'off', QBO_SANDBOX_STATE_FILE: '' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise<void>((resolve, reject) => {
  server.stdout!.on('data', (chunk: Buffer) => {
    if (chunk.toString().includes('listening on')) resolve();
  });
  server.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
});

const base = `http://127.0.0.1:${port}`;
const realms = (await (await fetch(`${base}/__sandbox/realms`)).json()) as { realms: Array<{ realmId: string }> };
const realmId = realms.realms[0]!.realmId;
const minted = await fetch(`${base}/__sandbox/oauth/tokens`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ realmId }) });
const { access_token: token } = (await minted.json()) as { access_token: string };

const agent = new Agent({ keepAlive: true, maxSockets: connections });
const get = () =>
  new Promise<number>((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = request(
      { agent, host: '127.0.0.1', port, path: `/v3/company/${realmId}${path}?minorversion=75`, headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve(Number(process.hrtime.bigint() - started) / 1e6) : reject(new Error(`HTTP ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end();
  });

// Warm up (JIT, connections), then measure.
for (let i = 0; i < 500; i++) await get();
const latencies: number[] = [];
const until = Date.now() + seconds * 1000;
const loop = async () => {
  while (Date.now() < until) latencies.push(await get());
};
const t0 = Date.now();
await Promise.all(Array.from({ length: connections }, loop));
const elapsed = (Date.now() - t0) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(2);
console.log(
  JSON.stringify({ path: `GET /v3/company/{realm}${path}`, connections, seconds: elapsed, requests: latencies.length, requestsPerSecond: Math.round(latencies.length / elapsed), p50ms: pct(50), p99ms: pct(99) }),
);
agent.destroy();
server.kill('SIGTERM');
