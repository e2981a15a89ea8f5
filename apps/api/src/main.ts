// Entry point of the api process: serves the REST api, health, readiness, metrics and the admin web app.

import { runService } from '@qbo-sync/adapters/config';
import { type Api, TOKENS, createApiContainer } from './composition-root.js';
import { loadApiConfig } from './config.js';

await runService({ name: 'api' }, async () => {
  const api = createApiContainer(loadApiConfig(process.env)).get<Api>(TOKENS.Api);
  await api.start();
  return api;
});
