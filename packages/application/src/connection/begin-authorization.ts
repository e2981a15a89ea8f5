// Use case: a person starts connecting a tenant to a QuickBooks company. A single-use, expiring `state` is
// issued, bound to the tenant and the person (and to whether they confirmed switching companies), and the
// answer is Intuit's consent link carrying it. Nothing is written to the log yet.

import type { ConnectionDeps } from './connection-deps.js';

export interface BeginAuthorizationInput {
  readonly tenantId: string;
  readonly userId: string;
  readonly confirmRealmChange: boolean;
}

export const beginAuthorization = async (
  deps: Pick<ConnectionDeps, 'states' | 'oauth'>,
  input: BeginAuthorizationInput,
): Promise<{ readonly authorizeUrl: string }> => {
  const state = await deps.states.issue({ tenantId: input.tenantId, userId: input.userId, confirmRealmChange: input.confirmRealmChange });
  return { authorizeUrl: deps.oauth.authorizeUrl(state) };
};
