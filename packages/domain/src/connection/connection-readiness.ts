// What a tenant's connection, as the connection decider folds it, allows now: whether syncs may run on it, and
// whether the connection a finished connect made is still the one on record.

import type { ConnectionState } from './connection-decider.js';

/** Why syncs cannot run: never connected, disconnected, or down (Intuit refused the grant, or QBO the calls). */
export type SyncBlocker = 'never_connected' | 'disconnected' | 'down';

/** Null when syncs may run. A connection that is down needs a reconnect first: a run would only fail. */
export const syncBlocker = (state: ConnectionState): SyncBlocker | null =>
  state.status !== 'connected' ? state.status : state.health === 'down' ? 'down' : null;

/** The connection on record is live and holds this company (a replayed callback finds its connect still standing). */
export const isConnectedTo = (state: ConnectionState, realmId: string): state is Extract<ConnectionState, { status: 'connected' }> =>
  state.status === 'connected' && state.realmId === realmId;
