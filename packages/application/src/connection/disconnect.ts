// Use case: a person disconnects a tenant from its company. The grant is revoked at Intuit (revoking the refresh
// token ends it), the vault forgets the tokens, and ConnectionDisconnected is appended. A grant Intuit no longer
// knows has nothing left to revoke, and the disconnect goes ahead; an Intuit that cannot be reached changes
// nothing. History stays: the stream, the read model row and what later features stored.

import { OAuthTokenError } from '@qbo-sync/domain';
import type { CommandContext } from '../shared/command-context.js';
import type { ConnectionDeps } from './connection-deps.js';
import { ConnectionFlowError } from './connection-flow-error.js';
import { handleConnectionCommand, loadConnectionState } from './handle-connection-command.js';

export interface DisconnectInput {
  readonly tenantId: string;
  readonly userId: string;
}

export interface DisconnectResult {
  readonly realmId: string;
  readonly revokedAtIntuit: boolean;
}

export const disconnect = async (
  deps: Pick<ConnectionDeps, 'eventStore' | 'vault' | 'oauth' | 'logger' | 'now'>,
  input: DisconnectInput,
  context: CommandContext,
): Promise<DisconnectResult> => {
  const { tenantId, userId } = input;
  const state = await loadConnectionState(deps.eventStore, tenantId);
  const stored = await deps.vault.read(tenantId);
  if (state.status !== 'connected') {
    // Tokens of a connection the log says is gone are left-overs: forget them.
    if (stored !== null) await deps.vault.clear(tenantId);
    throw new ConnectionFlowError('not_connected', 409, 'this tenant has no active QuickBooks connection', tenantId);
  }
  let revokedAtIntuit = false;
  if (stored !== null) {
    try {
      await deps.oauth.revoke(stored.tokens.refreshToken);
      revokedAtIntuit = true;
    } catch (error) {
      if (!(error instanceof OAuthTokenError) || error.transient) {
        throw new ConnectionFlowError('intuit_unavailable', 502, 'Intuit could not be reached to revoke the connection; nothing was changed, try again', tenantId);
      }
      // Intuit no longer knows the grant: there is nothing left to revoke.
      deps.logger.info({ tenantId, code: error.code, intuit_tid: error.intuitTid }, 'revoke found no live grant');
    }
    await deps.vault.clear(tenantId);
  }
  await handleConnectionCommand(deps.eventStore, tenantId, { type: 'DisconnectConnection', revokedAtIntuit, userId, at: deps.now().toISOString() }, context);
  deps.logger.info({ tenantId, realmId: state.realmId, revokedAtIntuit }, 'qbo company disconnected');
  return { realmId: state.realmId, revokedAtIntuit };
};
