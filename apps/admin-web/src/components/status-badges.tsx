// Colour-coded badges for health, run status and record sync status, always with words (never colour alone).

import { Badge } from '@mantine/core';
import type { RecordView, SyncRunStatus } from '../api/types.js';

const HEALTH_COLOR = { healthy: 'green', degraded: 'yellow', down: 'red' } as const;
export const HealthBadge = ({ health }: { health: 'healthy' | 'degraded' | 'down' | null | undefined }) =>
  health === null || health === undefined ? (
    <Badge color="gray">unknown</Badge>
  ) : (
    <Badge color={HEALTH_COLOR[health]} data-testid="health-badge">
      {health}
    </Badge>
  );

const RUN_COLOR: Record<SyncRunStatus, string> = {
  requested: 'gray',
  running: 'blue',
  completed: 'green',
  completed_with_failures: 'orange',
  failed: 'red',
  cancelled: 'gray',
};
export const RunStatusBadge = ({ status }: { status: SyncRunStatus }) => (
  <Badge color={RUN_COLOR[status]} data-testid="run-status" data-status={status}>
    {status.replaceAll('_', ' ')}
  </Badge>
);

const SYNC_COLOR: Record<RecordView['syncStatus'], string> = { pending: 'gray', synced: 'green', failed: 'red', review: 'yellow', conflict: 'orange' };
export const SyncStatusBadge = ({ status }: { status: RecordView['syncStatus'] }) => (
  <Badge color={SYNC_COLOR[status]} variant="light" data-testid="sync-status" data-status={status}>
    {status}
  </Badge>
);
