// Live progress of one run: polled until it finishes, with its counts as they grow.

import { Anchor, Group, Loader, Progress, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link } from 'react-router';
import { useSyncRun } from '../api/queries.js';
import type { SyncCounts } from '../api/types.js';
import { isFinished } from '../api/types.js';
import { errorText } from './query-state.js';
import { RunStatusBadge } from './status-badges.js';

export const doneCount = (counts: SyncCounts): number =>
  counts.created + counts.updated + counts.matched + counts.deactivated + counts.voided + counts.deleted + counts.pulled + counts.remote_deleted + counts.conflict + counts.skipped + counts.failed + counts.review;

export const RunProgress = ({ tenant, syncId }: { tenant: string; syncId: string }) => {
  const run = useSyncRun(tenant, syncId);
  const client = useQueryClient();
  const ended = run.data !== undefined && isFinished(run.data.status);
  // A finished run moves the connection card's "last sync" and the records' badges: refresh them.
  useEffect(() => {
    if (!ended) return;
    void client.invalidateQueries({ queryKey: ['tenant', tenant, 'connection'] });
    void client.invalidateQueries({ queryKey: ['tenant', tenant, 'records'] });
  }, [ended, client, tenant]);
  if (run.isPending) return <Loader size="xs" aria-label="Loading the run" />;
  if (run.isError) return <Text size="xs" c="red">{errorText(run.error)}</Text>;
  const { counts, status } = run.data;
  const done = doneCount(counts);
  const finished = isFinished(status);
  const percent = finished ? 100 : counts.planned > 0 ? Math.min(100, (done / counts.planned) * 100) : 5;
  return (
    <Stack gap={4} data-testid="run-progress" data-status={status}>
      <Group gap="xs">
        <RunStatusBadge status={status} />
        <Text size="xs" c="dimmed">
          {counts.planned > 0 ? `${done} of ${counts.planned}` : finished ? 'nothing to do' : 'planning…'} · {counts.created} created · {counts.updated} updated ·{' '}
          {counts.failed} failed
        </Text>
        <Anchor component={Link} to={`activity/${syncId}`} size="xs">
          Details
        </Anchor>
      </Group>
      <Progress value={percent} animated={!finished} color={status === 'completed' ? 'green' : status === 'running' || status === 'requested' ? 'blue' : 'orange'} aria-label="Run progress" />
      {!finished && run.data.waitingUntil !== null ? (
        <Text size="xs" c="orange" data-testid="run-waiting">
          Waiting for QuickBooks' limits until {new Date(run.data.waitingUntil).toLocaleTimeString()}
        </Text>
      ) : null}
      {run.data.reason ? <Text size="xs" c="red">{run.data.reason}</Text> : null}
    </Stack>
  );
};
