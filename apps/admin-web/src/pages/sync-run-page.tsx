// One run in detail: its status, counts and every record's outcome (live while it runs), with the error's
// fix hint, and a one-click retry of the failed records.

import { Alert, Anchor, Button, Card, Code, Group, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useRetryFailed, useRunRecords, useSyncRun } from '../api/queries.js';
import { canOperate, roleOf, useSession } from '../api/session.js';
import { RECORD_TYPE_LABEL, isFinished } from '../api/types.js';
import { formatDateTime } from '../components/format.js';
import { QueryState, errorText } from '../components/query-state.js';
import { RunStatusBadge } from '../components/status-badges.js';

const COUNT_ORDER = ['planned', 'created', 'updated', 'matched', 'skipped', 'failed', 'review'] as const;
const OUTCOMES = ['created', 'updated', 'matched', 'linked', 'pulled', 'deactivated', 'voided', 'deleted', 'remote_deleted', 'retrying', 'failed', 'review', 'conflict', 'conflict_resolved'];

export const SyncRunPage = () => {
  const { tenant = '', syncId = '' } = useParams();
  const [outcome, setOutcome] = useState<string | null>(null);
  const run = useSyncRun(tenant, syncId);
  const records = useRunRecords(tenant, syncId, outcome, run.data?.status);
  const retry = useRetryFailed(tenant);
  const session = useSession();
  const navigate = useNavigate();
  const allowed = canOperate(roleOf(session.data));

  return (
    <Stack maw={1200}>
      <Anchor component={Link} to=".." relative="path" size="sm">
        ← Activity
      </Anchor>
      <QueryState query={run} label="the run">
        {(data) => (
          <Card withBorder padding="lg">
            <Stack>
              <Group justify="space-between">
                <Title order={2}>
                  {data.direction === 'pull' ? 'Pull' : 'Push'} of {RECORD_TYPE_LABEL[data.type].toLowerCase()}
                </Title>
                <RunStatusBadge status={data.status} />
              </Group>
              <Text size="sm" c="dimmed">
                Run <Code>{data.syncId}</Code> · requested {formatDateTime(data.requestedAt)} by {data.requestedBy}
                {data.finishedAt ? ` · finished ${formatDateTime(data.finishedAt)}` : ''}
                {data.retryOf ? (
                  <>
                    {' '}
                    · retry of{' '}
                    <Anchor component={Link} to={`../${data.retryOf}`} relative="path">
                      {data.retryOf.slice(0, 8)}
                    </Anchor>
                  </>
                ) : null}
              </Text>
              <SimpleGrid cols={{ base: 3, sm: 7 }}>
                {COUNT_ORDER.map((key) => [key, data.counts[key]] as const).map(([key, value]) => (
                  <div key={key}>
                    <Text size="xs" c="dimmed" tt="uppercase">
                      {key}
                    </Text>
                    <Text fw={600} data-testid={`count-${key}`}>
                      {value}
                    </Text>
                  </div>
                ))}
              </SimpleGrid>
              {data.reason ? (
                <Alert color="red" title="The run failed">
                  {data.reason}
                </Alert>
              ) : null}
              {isFinished(data.status) && data.counts.failed > 0 ? (
                <Group>
                  <Button
                    color="orange"
                    disabled={!allowed}
                    loading={retry.isPending}
                    onClick={() =>
                      retry.mutate(data.syncId, {
                        onSuccess: ({ syncId: next }) => {
                          notifications.show({ color: 'blue', message: `Retrying the failed records in run ${next.slice(0, 8)}` });
                          void navigate(`../${next}`, { relative: 'path' });
                        },
                        onError: (error) => notifications.show({ color: 'red', title: 'Could not retry', message: errorText(error) }),
                      })
                    }
                  >
                    Retry failed records
                  </Button>
                  {allowed ? null : <Text size="sm" c="dimmed">Read-only: your role cannot retry.</Text>}
                </Group>
              ) : null}
            </Stack>
          </Card>
        )}
      </QueryState>
      <Group justify="space-between" align="flex-end">
        <Title order={3}>Records</Title>
        <Select label="Outcome" placeholder="All outcomes" clearable data={OUTCOMES.map((value) => ({ value, label: value.replaceAll('_', ' ') }))} value={outcome} onChange={setOutcome} />
      </Group>
      <QueryState query={records} label="record outcomes" isEmpty={(page) => page.items.length === 0} empty="No record outcomes for this run yet.">
        {(page) => (
          <Table aria-label="Record outcomes" verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Local id</Table.Th>
                <Table.Th>QuickBooks id</Table.Th>
                <Table.Th>Outcome</Table.Th>
                <Table.Th w="50%">Error and how to fix it</Table.Th>
                <Table.Th>At</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page.items.map((record) => (
                <Table.Tr key={`${record.type}:${record.localId}`} data-testid="run-record" data-outcome={record.outcome}>
                  <Table.Td>
                    <Code>{record.localId}</Code>
                  </Table.Td>
                  <Table.Td>{record.qboId ?? '—'}</Table.Td>
                  <Table.Td>
                    {record.outcome.replaceAll('_', ' ')}
                    {record.parked ? ' (parked)' : ''}
                    {record.attempt !== null && record.attempt > 1 ? ` · attempt ${record.attempt}` : ''}
                  </Table.Td>
                  <Table.Td>
                    {record.error === null ? (
                      '—'
                    ) : (
                      <Stack gap={2}>
                        <Text size="sm" c="red">
                          {record.error.qboCode ? `QuickBooks ${record.error.qboCode}: ` : ''}
                          {record.error.message}
                        </Text>
                        <Text size="sm" data-testid="error-hint">
                          Fix: {record.error.hint}
                        </Text>
                      </Stack>
                    )}
                  </Table.Td>
                  <Table.Td>{formatDateTime(record.at)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
    </Stack>
  );
};
