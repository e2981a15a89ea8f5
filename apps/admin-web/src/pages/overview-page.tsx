// A tenant's home: its QuickBooks connection and the pull and push controls. Syncs need a connection QuickBooks
// still accepts: while there is none, or it is down (Intuit refused the grant), the controls say why and where
// to reconnect instead of starting runs the api would refuse.

import { Stack } from '@mantine/core';
import { useParams } from 'react-router';
import { useConnection } from '../api/queries.js';
import type { ConnectionStatus } from '../api/types.js';
import { ConnectionCard } from '../components/connection-card.js';
import { SyncControls } from '../components/sync-controls.js';

/** Why pull and push cannot start on this connection, or null when they can. */
const syncBlockedBy = (status: ConnectionStatus | undefined): string | null => {
  if (status === undefined) return 'Loading the QuickBooks connection';
  if (status.state !== 'connected') return status.state === 'disconnected' ? 'QuickBooks is disconnected: reconnect it above first' : 'Connect QuickBooks first';
  if (status.health === 'down') return `QuickBooks no longer accepts this connection (${status.healthReason ?? 'it refused the stored grant'}): reconnect it above first`;
  return null;
};

export const OverviewPage = () => {
  const { tenant = '' } = useParams();
  const connection = useConnection(tenant);
  return (
    <Stack maw={1100}>
      <ConnectionCard tenant={tenant} />
      <SyncControls tenant={tenant} blockedBy={syncBlockedBy(connection.data)} />
    </Stack>
  );
};
