// Use case: Intuit sends the person back with a code (or an error). The state must be one this service issued,
// live and unused, and the same person must complete it. The code is exchanged for tokens, the company is read
// from CompanyInfo and Preferences with the new access token, and the decider rules on a realm switch, all
// before anything is stored: a failed callback leaves no vault row and no event. Then the tokens go to the
// vault and ConnectionAuthorized to the log, and the state remembers how its connect ended.
//
// A callback that comes again with a used state (the URL replayed, the back button, a double click) never
// reaches Intuit's token endpoint: exchanging a code twice can end the grant it made. It is answered from the
// state: "already connected" while the connection that connect made is still the one on record, a wait while
// the first callback is still under way, and otherwise a page saying the link was used. Nothing changes.

import {
  CompanyProfileUnreadableError,
  OAuthTokenError,
  RealmChangeNeedsConfirmationError,
  type AuthorizeConnection,
  type CompanyProfile,
  type ConsumedState,
  connectionDecider,
  isConnectedTo,
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
  /** The callback came again for a connect that was already made: nothing was done this time. */
  readonly alreadyConnected: boolean;
}

const stateProblem = {
  unknown: 'this connect link is not one this service issued',
  expired: 'this connect link has expired',
} as const;

/** How long a repeated callback waits for the first one (a double click) to finish. */
const REPLAY_WAIT_MS = 10_000;
const REPLAY_POLL_MS = 100;

type UsedState = Extract<ConsumedState, { reason: 'used' }>;

/** A repeated callback: answered from what the state's connect came to, without calling Intuit. */
const answerReplay = async (
  deps: Pick<ConnectionDeps, 'eventStore' | 'states' | 'now'>,
  state: string,
  used: UsedState,
  userId: string,
): Promise<CompleteAuthorizationResult> => {
  const { tenantId } = used.binding;
  if (used.binding.userId !== userId) {
    throw new ConnectionFlowError('wrong_user', 403, 'this connect link was started by another user; start connecting again yourself', tenantId);
  }
  let { outcome } = used;
  for (const started = Date.now(); outcome.kind === 'pending' && Date.now() - started < REPLAY_WAIT_MS; ) {
    await new Promise((resolve) => setTimeout(resolve, REPLAY_POLL_MS));
    const again = await deps.states.consume(state);
    if (again.ok || again.reason !== 'used') break;
    outcome = again.outcome;
  }
  if (outcome.kind === 'connected' && isConnectedTo(await loadConnectionState(deps.eventStore, tenantId), outcome.realmId)) {
    return { tenantId, realmId: outcome.realmId, companyName: outcome.companyName, alreadyConnected: true };
  }
  const what =
    outcome.kind === 'connected'
      ? 'the connection it made has since been ended or replaced'
      : outcome.kind === 'pending'
        ? 'the connection page shows whether QuickBooks is connected'
        : 'that attempt did not connect QuickBooks';
  throw new ConnectionFlowError('bad_state', 400, `this connect link was already used and ${what}; start connecting again from the connection page`, tenantId);
};

/** Remembered so a repeated callback can be answered; a failure to remember costs only that answer. */
const settle = async (deps: Pick<ConnectionDeps, 'states' | 'logger'>, state: string, tenantId: string, connected: { realmId: string; companyName: string } | null) => {
  try {
    await deps.states.settle(state, connected);
  } catch (error) {
    deps.logger.warn({ tenantId, err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, 'could not record how a connect ended');
  }
};

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
  const state = params.get('state') ?? '';
  const consumed = await deps.states.consume(state);
  if (!consumed.ok) {
    if (consumed.reason === 'used') return answerReplay(deps, state, consumed, userId);
    throw new ConnectionFlowError('bad_state', 400, `${stateProblem[consumed.reason]}; start connecting again from the connection page`);
  }
  const { tenantId } = consumed;
  try {
    const result = await connect(deps, { callbackUrl, userId, params, consumed }, context);
    await settle(deps, state, tenantId, { realmId: result.realmId, companyName: result.companyName });
    return result;
  } catch (error) {
    await settle(deps, state, tenantId, null);
    throw error;
  }
};

const connect = async (
  deps: Pick<ConnectionDeps, 'eventStore' | 'vault' | 'oauth' | 'company' | 'logger' | 'now' | 'states'>,
  input: { callbackUrl: string; userId: string; params: URLSearchParams; consumed: Extract<ConsumedState, { ok: true }> },
  context: CommandContext,
): Promise<CompleteAuthorizationResult> => {
  const { callbackUrl, userId, params, consumed } = input;
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

  // A code sent again under a fresh state (an old callback URL edited by hand) is refused here: exchanging it
  // a second time may end at Intuit the live grant its first exchange made.
  if (!(await deps.states.claimCode(params.get('code') ?? ''))) {
    throw new ConnectionFlowError('code_reused', 400, 'this authorization code was already used; nothing was changed. Start connecting again from the connection page', tenantId);
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
  return { tenantId, realmId, companyName: company.companyName, alreadyConnected: false };
};
