// Query: a tenant's connection as an admin sees it. Read from the connection_status read model (through the
// ConnectionStatusReader port), not folded from the connection stream, because the answer holds what that
// stream does not: the last sync (SyncCompleted on sync streams), the realm's last successful call (recorded by
// the rate limiter as calls return) and the last error with its time. It is an answer for people, not a
// decision, so following the log by the projector's lag is fine; decisions (connect, disconnect, refresh) fold
// the stream instead.

import type { ConnectionStatusView } from '@qbo-sync/domain';
import type { ConnectionDeps } from './connection-deps.js';

export const getConnectionStatus = (deps: Pick<ConnectionDeps, 'status' | 'now'>, tenantId: string): Promise<ConnectionStatusView> =>
  deps.status.read(tenantId, deps.now());
