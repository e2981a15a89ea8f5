// A tenant's home: its QuickBooks connection and the pull and push controls.

import { Stack } from '@mantine/core';
import { useParams } from 'react-router';
import { useConnection } from '../api/queries.js';
import { ConnectionCard } from '../components/connection-card.js';
import { SyncControls } from '../components/sync-controls.js';

export const OverviewPage = () => {
  const { tenant = '' } = useParams();
  const connection = useConnection(tenant);
  return (
    <Stack maw={1100}>
      <ConnectionCard tenant={tenant} />
      <SyncControls tenant={tenant} connected={connection.data?.state === 'connected'} />
    </Stack>
  );
};
