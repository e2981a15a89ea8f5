// qbo-sandbox: a local QuickBooks Online (OAuth + Accounting API) for tests and demos.

export { startSandbox } from './start-sandbox.js';
export type { SandboxHandle, StartSandboxOptions } from './start-sandbox.js';
export { createSandboxClock } from './clock.js';
export type { SandboxClock } from './clock.js';
export type { Limits } from './limits/rate-limiter.js';
export { DEFAULT_LIMITS } from './limits/rate-limiter.js';
export type { SeedOptions } from './seed/seed-company.js';
export type { OAuthApp, OAuthLifetimes } from './oauth/index.js';
export type { WebhookConfig } from './webhooks/index.js';
