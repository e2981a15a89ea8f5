// Where a person reconnects a tenant whose QuickBooks connection is gone or down: the tenant's page in the admin
// app (its connection card has the Reconnect button), or the api's authorize link. Said by every refusal and
// failure that only a reconnect cures.

/** The admin app's page of the tenant, which shows its connection and offers Reconnect. */
export const adminConnectionPath = (tenantId: string): string => `/t/${encodeURIComponent(tenantId)}`;

/** The api route that starts a (re)connect for the tenant. */
export const authorizePath = (tenantId: string): string => `/v1/tenants/${encodeURIComponent(tenantId)}/connection/authorize`;

export const reconnectHint = (tenantId: string): string =>
  `reconnect at ${adminConnectionPath(tenantId)} in the admin app (an admin's "Reconnect", or ${authorizePath(tenantId)})`;
