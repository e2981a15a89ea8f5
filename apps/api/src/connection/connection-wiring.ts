// Builds the api's connection parts: the connection module (adapters for the connection's ports, wired with
// the application's token and health use cases) over the api's pool and event store, configured from QBO_*
// variables (the sandbox unless QBO_CLIENT_ID is set). Called once from the composition root; the routes wait
// for it, since loading the vault key is asynchronous.

import { type QboConnectionConfig, type QboConnectionModule, createQboConnectionModule, loadQboConnectionConfig } from '@qbo-sync/adapters/intuit-oauth';
import type { Env } from '@qbo-sync/adapters/config';
import type { ConnectionDeps } from '@qbo-sync/application';
import type { EventStore } from '@qbo-sync/domain';
import type { Logger } from 'pino';

export interface ApiConnection {
  readonly module: Promise<QboConnectionModule>;
  /** What the connection routes' use cases take, once the module is ready. */
  deps(): Promise<ConnectionDeps>;
  close(): Promise<void>;
}

export const apiQboConfig = (env: Env, api: { host: string; port: number }): QboConnectionConfig =>
  loadQboConnectionConfig(env, { redirectUri: `http://${api.host}:${api.port === 0 ? 3000 : api.port}/v1/connection/callback` });

export const createApiConnection = (options: {
  qbo: QboConnectionConfig;
  eventStore: EventStore;
  db: Parameters<typeof createQboConnectionModule>[0]['db'];
  logger: Logger;
}): ApiConnection => {
  const module = createQboConnectionModule({ config: options.qbo, db: options.db, eventStore: options.eventStore, logger: options.logger });
  // Surface a bad key file at start, not at the first connect.
  module.catch((error: unknown) => options.logger.error({ err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, 'qbo connection setup failed'));
  return {
    module,
    deps: async () => (await module).deps,
    close: async () => undefined,
  };
};
