// The connection_status read model: one row per tenant with company, realm, health and its reason, token
// expiries, last refresh, last sync and last error. Folded from connection events (and SyncCompleted for the
// last sync) by the projector; every event sets absolute values, so a redelivered event changes nothing.
// Reading it joins the realm's last successful call, which the rate limiter records as calls return.

import { type ConnectionEvent, type ConnectionStatusView, type RecordedEvent, categoryOf, connectionWarnings } from '@qbo-sync/domain';
import { type Kysely, sql } from 'kysely';

type Db = Kysely<unknown>;

export const CONNECTION_STATUS_CATEGORIES = ['connection', 'sync'] as const;

const applyOne = async (db: Db, event: RecordedEvent): Promise<void> => {
  const tenantId = event.metadata.tenantId;
  if (categoryOf(event.streamName) === 'sync') {
    if (event.type === 'SyncCompleted') {
      await sql`update connection_status set last_sync_at = greatest(last_sync_at, ${event.recordedAt}), updated_at = ${event.recordedAt}
                where tenant_id = ${tenantId}`.execute(db);
    }
    return;
  }
  const known = event as unknown as ConnectionEvent;
  switch (known.type) {
    case 'ConnectionAuthorized': {
      const d = known.data;
      await sql`
        insert into connection_status (tenant_id, realm_id, state, company_name, country, home_currency, multi_currency_enabled,
          custom_transaction_numbers, health, health_reason, access_token_expires_at, refresh_token_expires_at,
          refresh_token_hard_expires_at, consecutive_refresh_failures, last_refreshed_at, connected_at, disconnected_at, updated_at)
        values (${tenantId}, ${d.realmId}, 'connected', ${d.company.companyName}, ${d.company.country}, ${d.company.homeCurrency},
          ${d.company.multiCurrencyEnabled}, ${d.company.customTransactionNumbers}, 'healthy', null, ${d.accessTokenExpiresAt},
          ${d.refreshTokenExpiresAt}, ${d.refreshTokenHardExpiresAt}, 0, ${d.at}, ${d.at}, null, ${d.at})
        on conflict (tenant_id) do update set realm_id = excluded.realm_id, state = 'connected', company_name = excluded.company_name,
          country = excluded.country, home_currency = excluded.home_currency, multi_currency_enabled = excluded.multi_currency_enabled,
          custom_transaction_numbers = excluded.custom_transaction_numbers, health = 'healthy', health_reason = null,
          access_token_expires_at = excluded.access_token_expires_at, refresh_token_expires_at = excluded.refresh_token_expires_at,
          refresh_token_hard_expires_at = excluded.refresh_token_hard_expires_at, consecutive_refresh_failures = 0,
          last_refreshed_at = excluded.last_refreshed_at, connected_at = excluded.connected_at, disconnected_at = null,
          updated_at = excluded.updated_at`.execute(db);
      return;
    }
    case 'ConnectionTokensRefreshed': {
      const d = known.data;
      await sql`update connection_status set access_token_expires_at = ${d.accessTokenExpiresAt}, refresh_token_expires_at = ${d.refreshTokenExpiresAt},
                  refresh_token_hard_expires_at = coalesce(${d.refreshTokenHardExpiresAt}, refresh_token_hard_expires_at),
                  last_refreshed_at = ${d.at}, consecutive_refresh_failures = 0, updated_at = ${d.at}
                where tenant_id = ${tenantId} and realm_id = ${d.realmId}`.execute(db);
      return;
    }
    case 'ConnectionRefreshFailed': {
      const d = known.data;
      const message = d.kind === 'invalid_grant' ? `token refresh rejected by Intuit (${d.errorCode})` : `token refresh failed (${d.errorCode})`;
      await sql`update connection_status set consecutive_refresh_failures = ${d.consecutiveFailures}, last_error = ${message},
                  last_error_at = ${d.at}, updated_at = ${d.at}
                where tenant_id = ${tenantId} and realm_id = ${d.realmId}`.execute(db);
      return;
    }
    case 'ConnectionHealthChanged': {
      const d = known.data;
      await sql`update connection_status set health = ${d.to}, health_reason = ${d.to === 'healthy' ? null : d.reason},
                  last_error = case when ${d.to} = 'healthy' then last_error else ${d.reason} end,
                  last_error_at = case when ${d.to} = 'healthy' then last_error_at else ${d.at}::timestamptz end,
                  updated_at = ${d.at}
                where tenant_id = ${tenantId} and realm_id = ${d.realmId}`.execute(db);
      return;
    }
    case 'ConnectionDisconnected': {
      const d = known.data;
      await sql`update connection_status set state = 'disconnected', disconnected_at = ${d.at}, access_token_expires_at = null,
                  refresh_token_expires_at = null, refresh_token_hard_expires_at = null, updated_at = ${d.at}
                where tenant_id = ${tenantId} and realm_id = ${d.realmId}`.execute(db);
      return;
    }
    default:
      return;
  }
};

/** Folds a batch into the read model, inside the projector's transaction. */
export const projectConnectionStatus = async (db: Db, events: readonly RecordedEvent[]): Promise<void> => {
  for (const event of events) await applyOne(db, event);
};

export const resetConnectionStatus = async (db: Db): Promise<void> => {
  await sql`truncate table connection_status`.execute(db);
};

/** The view is the ConnectionStatusReader port's (one definition, in the domain). */
export type { ConnectionStatusView } from '@qbo-sync/domain';

interface StatusRow {
  realm_id: string;
  state: 'connected' | 'disconnected';
  company_name: string;
  country: string | null;
  home_currency: string | null;
  multi_currency_enabled: boolean;
  custom_transaction_numbers: boolean;
  health: 'healthy' | 'degraded' | 'down';
  health_reason: string | null;
  access_token_expires_at: Date | null;
  refresh_token_expires_at: Date | null;
  refresh_token_hard_expires_at: Date | null;
  consecutive_refresh_failures: number;
  last_refreshed_at: Date | null;
  last_sync_at: Date | null;
  last_error: string | null;
  last_error_at: Date | null;
  connected_at: Date | null;
  disconnected_at: Date | null;
  last_success_at: Date | null;
}

const iso = (value: Date | null): string | null => (value === null ? null : value.toISOString());

export const readConnectionStatus = async (db: Db, tenantId: string, now: Date = new Date()): Promise<ConnectionStatusView> => {
  const { rows } = await sql<StatusRow>`
    select s.*, a.last_success_at from connection_status s
    left join qbo_realm_activity a on a.realm_id = s.realm_id
    where s.tenant_id = ${tenantId}`.execute(db);
  const row = rows[0];
  if (row === undefined) {
    return {
      tenantId, state: 'not_connected', realmId: null, companyName: null, country: null, homeCurrency: null, multiCurrencyEnabled: null,
      customTransactionNumbers: null, health: null, healthReason: null, accessTokenExpiresAt: null, refreshTokenExpiresAt: null,
      refreshTokenHardExpiresAt: null, lastRefreshedAt: null, lastSuccessfulCallAt: null, lastSyncAt: null, lastError: null,
      connectedAt: null, disconnectedAt: null, warnings: [],
    };
  }
  const connected = row.state === 'connected';
  return {
    tenantId,
    state: row.state,
    realmId: row.realm_id,
    companyName: row.company_name,
    country: row.country,
    homeCurrency: row.home_currency,
    multiCurrencyEnabled: row.multi_currency_enabled,
    customTransactionNumbers: row.custom_transaction_numbers,
    health: connected ? row.health : null,
    healthReason: connected ? row.health_reason : null,
    accessTokenExpiresAt: iso(row.access_token_expires_at),
    refreshTokenExpiresAt: iso(row.refresh_token_expires_at),
    refreshTokenHardExpiresAt: iso(row.refresh_token_hard_expires_at),
    lastRefreshedAt: iso(row.last_refreshed_at),
    // A call made before this connection began belongs to an older one.
    lastSuccessfulCallAt: row.last_success_at !== null && (row.connected_at === null || row.last_success_at >= row.connected_at) ? iso(row.last_success_at) : null,
    lastSyncAt: iso(row.last_sync_at),
    lastError: row.last_error === null ? null : { message: row.last_error, at: iso(row.last_error_at) },
    connectedAt: iso(row.connected_at),
    disconnectedAt: iso(row.disconnected_at),
    warnings: connectionWarnings(
      {
        connected,
        health: row.health,
        refreshTokenExpiresAt: iso(row.refresh_token_expires_at),
        refreshTokenHardExpiresAt: iso(row.refresh_token_hard_expires_at),
        consecutiveRefreshFailures: row.consecutive_refresh_failures,
      },
      now,
    ),
  };
};
