// Process entry (`pnpm --filter qbo-sandbox start`): one seeded demo company, state kept in
// QBO_SANDBOX_STATE_FILE when set, clean exit on SIGINT/SIGTERM.

import { startSandbox } from './start-sandbox.js';

const port = Number(process.env.QBO_SANDBOX_PORT ?? 4010);
const host = process.env.QBO_SANDBOX_HOST ?? '127.0.0.1';
const stateFile = process.env.QBO_SANDBOX_STATE_FILE || undefined;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`QBO_SANDBOX_PORT must be a port number (got "${process.env.QBO_SANDBOX_PORT}")`);
  process.exit(2);
}

const sandbox = await startSandbox({
  port,
  host,
  ...(stateFile ? { stateFile } : {}),
  companies: [{ companyName: 'Sandbox Company_US_1', seed: { seed: 42, customers: 25, vendors: 10, items: 15, invoices: 40, paymentRatio: 0.4 } }],
  autoApprove: process.env.QBO_SANDBOX_AUTO_APPROVE === 'true',
  ...(process.env.QBO_SANDBOX_LIMITS === 'off' ? { limits: false as const } : {}),
});

console.log(`qbo-sandbox listening on ${sandbox.url}`);
console.log(`  accounting base: ${sandbox.accountingBaseUrl}  realms: ${sandbox.realms().join(', ')}`);
console.log(`  oauth authorize: ${sandbox.oauth.authorizeUrl}  token: ${sandbox.oauth.tokenUrl}`);
if (stateFile) console.log(`  state file: ${stateFile}`);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`qbo-sandbox: ${signal}, saving and stopping`);
  await sandbox.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
