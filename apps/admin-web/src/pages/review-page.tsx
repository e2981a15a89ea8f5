// The review queue: records the engine will not decide alone. An ambiguous match lists its QuickBooks
// candidates; a conflict lists the fields both sides changed. The api does not take a resolution yet, so
// the choices are shown disabled and labelled so, rather than pretending to work.

import { Alert, Badge, Button, Card, Code, Group, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { api, tenantPath } from '../api/api-client.js';
import { RECORD_TYPES, RECORD_TYPE_LABEL, type Page, type RecordView } from '../api/types.js';
import { relativeTime } from '../components/format.js';
import { EmptyState, ErrorAlert } from '../components/query-state.js';

const NOT_YET = 'The api does not accept review decisions yet';

const Candidates = ({ review }: { review: Record<string, unknown> }) => {
  const candidates = Array.isArray(review.candidates) ? (review.candidates as Record<string, unknown>[]) : [];
  return (
    <Stack gap={4}>
      <Text size="sm">
        Matched {candidates.length} QuickBooks records by {String(review.rule ?? 'the matching rules')}:
      </Text>
      {candidates.map((candidate, index) => (
        <Group key={index} gap="xs">
          <Code>{JSON.stringify(candidate)}</Code>
          <Tooltip label={NOT_YET}>
            <Button size="compact-xs" variant="light" disabled>
              Link to this one
            </Button>
          </Tooltip>
        </Group>
      ))}
      <Tooltip label={NOT_YET}>
        <Button size="compact-xs" variant="default" disabled w="fit-content">
          Create a new record instead
        </Button>
      </Tooltip>
    </Stack>
  );
};

const Differences = ({ review }: { review: Record<string, unknown> }) => {
  const differences = Array.isArray(review.differences) ? (review.differences as { field?: string; local?: unknown; remote?: unknown }[]) : [];
  return (
    <Stack gap={4}>
      <Table withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Field</Table.Th>
            <Table.Th>Here</Table.Th>
            <Table.Th>QuickBooks</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {differences.map((difference, index) => (
            <Table.Tr key={index}>
              <Table.Td>{difference.field ?? '—'}</Table.Td>
              <Table.Td>
                <Code>{JSON.stringify(difference.local)}</Code>
              </Table.Td>
              <Table.Td>
                <Code>{JSON.stringify(difference.remote)}</Code>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group gap="xs">
        {['Keep local', 'Take QuickBooks'].map((label) => (
          <Tooltip key={label} label={NOT_YET}>
            <Button size="compact-xs" variant="light" disabled>
              {label}
            </Button>
          </Tooltip>
        ))}
      </Group>
    </Stack>
  );
};

export const ReviewPage = () => {
  const { tenant = '' } = useParams();
  const queries = useQueries({
    queries: RECORD_TYPES.flatMap((type) =>
      (['review', 'conflict'] as const).map((syncStatus) => ({
        queryKey: ['tenant', tenant, 'records', type, { syncStatus, after: null }],
        queryFn: () => api.get<Page<RecordView>>(tenantPath(tenant, `/records/${type}?syncStatus=${syncStatus}&limit=200`)),
      })),
    ),
  });
  const failed = queries.find((query) => query.isError);
  const items = queries.flatMap((query) => query.data?.items ?? []);
  return (
    <Stack maw={1100}>
      <Title order={2}>Review queue</Title>
      <Alert color="gray">
        Ambiguous matches and conflicts held by the &quot;Hold for review&quot; policy wait here. Deciding them from the app is not available yet: change the record
        through the records API, or set the conflict policy to QuickBooks wins or local wins, and push again.
      </Alert>
      {failed?.error ? <ErrorAlert error={failed.error} title="Could not load the queue" onRetry={() => void failed.refetch()} /> : null}
      {queries.some((query) => query.isPending) ? <Text c="dimmed">Loading…</Text> : null}
      {!queries.some((query) => query.isPending) && items.length === 0 && failed === undefined ? <EmptyState>Nothing waits for review.</EmptyState> : null}
      {items.map((record) => (
        <Card key={`${record.type}:${record.localId}`} withBorder data-testid="review-item">
          <Stack gap="xs">
            <Group justify="space-between">
              <Group gap="xs">
                <Badge color={record.syncStatus === 'conflict' ? 'orange' : 'yellow'}>{record.syncStatus === 'conflict' ? 'conflict' : 'ambiguous match'}</Badge>
                <Text fw={600}>{RECORD_TYPE_LABEL[record.type]}</Text>
                <Code>{record.localId}</Code>
              </Group>
              <Text size="xs" c="dimmed">
                updated {relativeTime(record.updatedAt)}
              </Text>
            </Group>
            {record.review === null ? null : record.review.reason === 'conflict' ? <Differences review={record.review} /> : <Candidates review={record.review} />}
          </Stack>
        </Card>
      ))}
    </Stack>
  );
};
