// Why a connect or a disconnect did not go ahead. Each carries the HTTP status the api answers with and a
// message that is safe to show the person (never a token, a code or the client secret).

export type ConnectionFlowErrorCode =
  | 'access_denied'
  | 'authorization_error'
  | 'bad_state'
  | 'wrong_user'
  | 'missing_code'
  | 'code_rejected'
  | 'code_reused'
  | 'intuit_unavailable'
  | 'company_unreadable'
  | 'realm_change_needs_confirmation'
  | 'not_connected';

export class ConnectionFlowError extends Error {
  override readonly name = 'ConnectionFlowError';
  constructor(
    readonly code: ConnectionFlowErrorCode,
    readonly status: number,
    message: string,
    readonly tenantId: string | null = null,
  ) {
    super(message);
  }
}

/** A refresh or a QBO call for a tenant whose tokens are not in the vault (never connected, or disconnected). */
export class NoStoredTokensError extends Error {
  override readonly name = 'NoStoredTokensError';
  constructor(readonly tenantId: string) {
    super(`tenant ${tenantId} has no QuickBooks connection`);
  }
}
