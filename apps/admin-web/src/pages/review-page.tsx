// The review queue: records the engine will not decide alone. A conflict lists the fields both sides changed
// and offers the api's two resolutions (keep local, take QuickBooks). An ambiguous match lists its QuickBooks
// candidates; the api does not take a choice among them yet, so those choices are shown disabled and labelled.

import { Alert, Badge, Button, Card, Code, Group, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueries, useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { api, tenantPath } from '../api/api-client.js';
import { canOperate, roleOf, useSession } from '../api/session.js';
import { RECORD_TYPES, RECORD_TYPE_LABEL, type Page, type RecordView } from '../api/types.js';
import { relativeTime } from '../components/format.js';
import { EmptyState, ErrorAlert, errorText } from '../components/query-state.js';

const NOT_YET = 'Not offered by the api yet: fix the data so one candidate matches, and push again';

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

const Differences = ({ tenant, record, allowed }: { tenant: string; record: RecordView; allowed: boolean }) => {
  const review = record.review ?? {};
  const differences = Array.isArray(review.differences) ? (review.differences as { field?: string; local?: unknown; remote?: unknown }[]) : [];
  const client = useQueryClient();
  const resolve = useMutation({
    mutationFn: (resolution: 'qbo_wins' | 'local_wins') =>
      api.post<unknown>(tenantPath(tenant, `/records/${record.type}/${encodeURIComponent(record.localId)}/resolve-conflict`), { resolution }),
    onSuccess: (_body, resolution) => {
      notifications.show({ color: 'green', message: resolution === 'qbo_wins' ? 'QuickBooks version taken' : 'Local version kept; the next push writes it to QuickBooks' });
      void client.invalidateQueries({ queryKey: ['tenant', tenant, 'records'] });
    },
    onError: (error) => notifications.show({ color: 'red', title: 'Could not resolve', message: errorText(error) }),
  });
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
        {(
          [
            ['local_wins', 'Keep local'],
            ['qbo_wins', 'Take QuickBooks'],
          ] as const
        ).map(([resolution, label]) => (
          <Tooltip key={resolution} label="Read-only: your role cannot resolve conflicts" disabled={allowed}>
            <Button size="compact-xs" variant="light" disabled={!allowed} loading={resolve.isPending && resolve.variables === resolution} onClick={() => resolve.mutate(resolution)}>
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
  const session = useSession();
  const allowed = canOperate(roleOf(session.data));
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
        Conflicts held by the &quot;Hold for review&quot; policy and ambiguous matches wait here. Resolve a conflict by keeping the local version (the next push
        writes it) or taking QuickBooks&apos; version. Choosing among the candidates of an ambiguous match is not offered yet: fix the record (for example its
        email) through the records API so one candidate matches, and push again.
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
            {record.review === null ? null : record.review.reason === 'conflict' ? <Differences tenant={tenant} record={record} allowed={allowed} /> : <Candidates review={record.review} />}
          </Stack>
        </Card>
      ))}
    </Stack>
  );
};
