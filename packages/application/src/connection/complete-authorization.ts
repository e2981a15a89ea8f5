// Use case: Intuit sends the person back with a code (or an error). The state must be one this service issued,
// live and unused, and the same person must complete it. The code is exchanged for tokens, the company is read
// from CompanyInfo and Preferences with the new access token, and the decider rules on a realm switch, all
// before anything is stored: a failed callback leaves no vault row and no event. Then the tokens go to the
// vault and ConnectionAuthorized to the log.

import {
  CompanyProfileUnreadableError,
  OAuthTokenError,
  RealmChangeNeedsConfirmationError,
  type AuthorizeConnection,
  type CompanyProfile,
  connectionDecider,
} from '@qbo-sync/domain';
import type { CommandContext } from '../shared/command-context.js';
import type { ConnectionDeps } from './connection-deps.js';
import { ConnectionFlowError } from './connection-flow-error.js';
import { handleConnectionCommand, loadConnectionState } from './handle-connection-command.js';

export interface CompleteAuthorizationInput {
  /** The callback URL as the browser brought it back (code, state and realmId, or error and state). */
  readonly callbackUrl: string;
  readonly userId: string;
}

export interface CompleteAuthorizationResult {
  readonly tenantId: string;
  readonly realmId: string;
  readonly companyName: string;
}

const stateProblem = {
  unknown: 'this connect link is not one this service issued',
  used: 'this connect link was already used',
  expired: 'this connect link has expired',
} as const;

const readCompany = async (deps: Pick<ConnectionDeps, 'company'>, tenantId: string, realmId: string, accessToken: string): Promise<CompanyProfile> => {
  try {
    return await deps.company.read({ tenantId, realmId, accessToken });
  } catch (error) {
    const message =
      error instanceof CompanyProfileUnreadableError
        ? error.reason === 'no_company_name'
          ? error.message
          : `${error.message}; nothing was changed, try connecting again`
        : "could not read the company's details from QuickBooks; nothing was changed, try connecting again";
    throw new ConnectionFlowError('company_unreadable', 502, message, tenantId);
  }
};

export const completeAuthorization = async (
  deps: Pick<ConnectionDeps, 'eventStore' | 'vault' | 'oauth' | 'states' | 'company' | 'logger' | 'now'>,
  input: CompleteAuthorizationInput,
  context: CommandContext,
): Promise<CompleteAuthorizationResult> => {
  const { callbackUrl, userId } = input;
  const params = new URL(callbackUrl).searchParams;
  const consumed = await deps.states.consume(params.get('state') ?? '');
  if (!consumed.ok) throw new ConnectionFlowError('bad_state', 400, `${stateProblem[consumed.reason]}; start connecting again from the connection page`);
  const { tenantId } = consumed;
  if (consumed.userId !== userId) {
    throw new ConnectionFlowError('wrong_user', 403, 'this connect link was started by another user; start connecting again yourself', tenantId);
  }
  const intuitError = params.get('error');
  if (intuitError !== null) {
    if (intuitError === 'access_denied') {
      throw new ConnectionFlowError('access_denied', 400, 'the connection was not approved in QuickBooks; nothing was changed', tenantId);
    }
    const safe = /^[a-z_]{1,40}$/.test(intuitError) ? intuitError : 'unknown_error';
    throw new ConnectionFlowError('authorization_error', 400, `QuickBooks answered ${safe}; nothing was changed`, tenantId);
  }
  const realmId = params.get('realmId');
  if (params.get('code') === null || realmId === null || !/^\d{1,32}$/.test(realmId)) {
    throw new ConnectionFlowError('missing_code', 400, 'the callback carries no authorization code or company (realmId)', tenantId);
  }

  let grant;
  try {
    grant = await deps.oauth.exchangeCode(callbackUrl);
  } catch (error) {
    if (error instanceof OAuthTokenError && !error.transient) {
      throw new ConnectionFlowError('code_rejected', 400, `Intuit rejected the authorization code (${error.code}); it may have been used already. Start connecting again`, tenantId);
    }
    throw new ConnectionFlowError('intuit_unavailable', 502, 'Intuit could not be reached to finish the connection; try again', tenantId);
  }
  const company = await readCompany(deps, tenantId, realmId, grant.accessToken);
  const command: AuthorizeConnection = {
    type: 'AuthorizeConnection',
    realmId,
    company,
    expiries: {
      accessTokenExpiresAt: grant.accessTokenExpiresAt.toISOString(),
      refreshTokenExpiresAt: grant.refreshTokenExpiresAt.toISOString(),
      refreshTokenHardExpiresAt: grant.refreshTokenHardExpiresAt?.toISOString() ?? null,
    },
    userId,
    confirmRealmChange: consumed.confirmRealmChange,
    at: deps.now().toISOString(),
  };
  // Decide before storing anything, so a refused realm switch leaves the vault and the log untouched. A refused
  // switch leaves the new grant unused at Intuit rather than revoking it (that could end it for others).
  try {
    connectionDecider.decide(command, await loadConnectionState(deps.eventStore, tenantId));
  } catch (error) {
    if (error instanceof RealmChangeNeedsConfirmationError) throw new ConnectionFlowError('realm_change_needs_confirmation', 409, error.message, tenantId);
    throw error;
  }
  await deps.vault.save({
    tenantId,
    realmId,
    tokens: { accessToken: grant.accessToken, refreshToken: grant.refreshToken },
    accessTokenExpiresAt: grant.accessTokenExpiresAt,
    refreshTokenExpiresAt: grant.refreshTokenExpiresAt,
    refreshTokenHardExpiresAt: grant.refreshTokenHardExpiresAt,
    refreshedAt: deps.now(),
  });
  await handleConnectionCommand(deps.eventStore, tenantId, command, context);
  deps.logger.info({ tenantId, realmId, intuit_tid: grant.intuitTid }, 'qbo company connected');
  return { tenantId, realmId, companyName: company.companyName };
};
