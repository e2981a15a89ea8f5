// Use case: the recent outcomes of a tenant's QBO calls (oldest first) say how healthy its connection is. The
// decider derives the health and appends ConnectionHealthChanged when it differs from what the stream says;
// outcomes that arrive late from a connection since replaced say nothing. Answers the health now on record
// (null when the tenant is not connected).

import { type CallOutcome, type ConnectionHealth } from '@qbo-sync/domain';
import type { CommandContext } from '../shared/command-context.js';
import type { ConnectionDeps } from './connection-deps.js';
import { handleConnectionCommand, loadConnectionState } from './handle-connection-command.js';

export interface RecordCallOutcomesInput {
  readonly tenantId: string;
  readonly realmId: string;
  readonly recent: readonly CallOutcome[];
  readonly at: string;
}

export const recordCallOutcomes = async (
  deps: Pick<ConnectionDeps, 'eventStore'>,
  input: RecordCallOutcomesInput,
  context: CommandContext,
): Promise<ConnectionHealth | null> => {
  const events = await handleConnectionCommand(
    deps.eventStore,
    input.tenantId,
    { type: 'RecordCallOutcomes', realmId: input.realmId, recent: input.recent, at: input.at },
    context,
  );
  const changed = events.find((event) => event.type === 'ConnectionHealthChanged');
  if (changed?.type === 'ConnectionHealthChanged') return changed.data.to;
  const state = await loadConnectionState(deps.eventStore, input.tenantId);
  return state.status === 'connected' ? state.health : null;
};
