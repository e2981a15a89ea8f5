// The activity log: every run with its type, direction, status, counts and times, filtered by type,
// direction, status (on the server) and date (on the loaded runs); a row opens the run's records.

import { Button, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useSyncRuns } from '../api/queries.js';
import { RECORD_TYPES, RECORD_TYPE_LABEL, type RecordType, SYNC_RUN_STATUSES } from '../api/types.js';
import { formatDateTime } from '../components/format.js';
import { QueryState } from '../components/query-state.js';
import { RunStatusBadge } from '../components/status-badges.js';

const DAY_MS = 86_400_000;
const SINCE = { '1': 'Last 24 hours', '7': 'Last 7 days', '30': 'Last 30 days' } as const;

export const ActivityPage = () => {
  const { tenant = '' } = useParams();
  const [type, setType] = useState<string | null>(null);
  const [direction, setDirection] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [since, setSince] = useState<string | null>(null);
  const runs = useSyncRuns(tenant, { type: type as RecordType | null, direction: direction as 'push' | 'pull' | null, status });
  const cutoff = since === null ? null : Date.now() - Number(since) * DAY_MS;

  return (
    <Stack maw={1200}>
      <Title order={2}>Activity</Title>
      <Group align="flex-end">
        <Select label="Record type" placeholder="All types" clearable data={RECORD_TYPES.map((value) => ({ value, label: RECORD_TYPE_LABEL[value] }))} value={type} onChange={setType} />
        <Select label="Direction" placeholder="Both" clearable data={[{ value: 'pull', label: 'Pull (QuickBooks → here)' }, { value: 'push', label: 'Push (here → QuickBooks)' }]} value={direction} onChange={setDirection} />
        <Select label="Status" placeholder="Any status" clearable data={SYNC_RUN_STATUSES.map((value) => ({ value, label: value.replaceAll('_', ' ') }))} value={status} onChange={setStatus} />
        <Select label="Date" placeholder="Any time" clearable data={Object.entries(SINCE).map(([value, label]) => ({ value, label }))} value={since} onChange={setSince} />
      </Group>
      <QueryState
        query={runs}
        label="runs"
        isEmpty={(page) => page.items.filter((run) => cutoff === null || new Date(run.requestedAt).getTime() >= cutoff).length === 0}
        empty="No runs match. Start a pull or push from the overview."
      >
        {(page) => (
          <Table striped highlightOnHover aria-label="Sync runs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Requested</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>Direction</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>Updated</Table.Th>
                <Table.Th>Failed</Table.Th>
                <Table.Th>By</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page.items
                .filter((run) => cutoff === null || new Date(run.requestedAt).getTime() >= cutoff)
                .map((run) => (
                  <Table.Tr key={run.syncId} data-testid="activity-row" data-sync-id={run.syncId}>
                    <Table.Td>{formatDateTime(run.requestedAt)}</Table.Td>
                    <Table.Td>{RECORD_TYPE_LABEL[run.type]}</Table.Td>
                    <Table.Td>
                      {run.direction}
                      {run.dryRun ? ' (dry run)' : ''}
                      {run.retryOf ? ' (retry)' : ''}
                    </Table.Td>
                    <Table.Td>
                      <RunStatusBadge status={run.status} />
                    </Table.Td>
                    <Table.Td>{run.counts.created}</Table.Td>
                    <Table.Td>{run.counts.updated}</Table.Td>
                    <Table.Td>
                      <Text c={run.counts.failed > 0 ? 'red' : undefined} size="sm">
                        {run.counts.failed}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" c="dimmed">
                        {run.requestedBy}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Button component={Link} to={run.syncId} size="compact-xs" variant="subtle" aria-label={`Details of run ${run.syncId}`}>
                        Details
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
    </Stack>
  );
};
