// Connects a tenant to a sandbox company through the real OAuth flow (the sandbox auto-approves the
// consent page), calling the application's connect use cases as the api's routes do: the set-up every
// multi-process test and benchmark shares.

import { type QboConnectionModule, createQboConnectionModule, loadQboConnectionConfig } from '@qbo-sync/adapters/intuit-oauth';
import { createLogger } from '@qbo-sync/adapters/config';
import { beginAuthorization, completeAuthorization } from '@qbo-sync/application';

type ModuleOptions = Parameters<typeof createQboConnectionModule>[0];

export const connectTenant = async (options: {
  readonly env: Record<string, string>;
  readonly db: ModuleOptions['db'];
  readonly eventStore: ModuleOptions['eventStore'];
  readonly tenantId: string;
  readonly userId?: string;
  readonly service?: string;
}): Promise<{ readonly module: QboConnectionModule; readonly realmId: string }> => {
  const userId = options.userId ?? 'user-1';
  const module = await createQboConnectionModule({
    config: loadQboConnectionConfig(options.env, { redirectUri: 'http://127.0.0.1:9/v1/connection/callback' }),
    db: options.db,
    eventStore: options.eventStore,
    logger: createLogger({ service: options.service ?? 'test', level: 'silent' }),
  });
  const { authorizeUrl } = await beginAuthorization(module.deps, { tenantId: options.tenantId, userId, confirmRealmChange: false });
  const consent = await fetch(authorizeUrl, { redirect: 'manual' });
  const { realmId } = await completeAuthorization(
    module.deps,
    { callbackUrl: consent.headers.get('location') ?? '', userId },
    { correlationId: `connect-${options.tenantId}`, actor: { type: 'user', id: userId } },
  );
  return { module, realmId };
};
