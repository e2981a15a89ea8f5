// The records browser: a type's records with their QuickBooks badge (QBO id, sync status, last synced),
// filtered by sync status on the server and searched within the loaded records, with paging.

import { Badge, Button, Code, Group, SegmentedControl, Select, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useParams } from 'react-router';
import { useRecords } from '../api/queries.js';
import { RECORD_TYPES, RECORD_TYPE_LABEL, type RecordType, type RecordView } from '../api/types.js';
import { formatDateTime, relativeTime } from '../components/format.js';
import { QueryState } from '../components/query-state.js';
import { SyncStatusBadge } from '../components/status-badges.js';

const nameOf = (record: RecordView): string => {
  const content = record.record ?? {};
  for (const key of ['displayName', 'name', 'docNumber', 'companyName']) if (typeof content[key] === 'string') return content[key] as string;
  return '';
};

const matches = (record: RecordView, search: string): boolean => {
  if (search === '') return true;
  const needle = search.toLowerCase();
  return [record.localId, record.link.qboId ?? '', nameOf(record), JSON.stringify(record.record ?? {})].some((value) => value.toLowerCase().includes(needle));
};

export const QboBadge = ({ record }: { record: RecordView }) => (
  <Group gap={6} wrap="nowrap" data-testid="qbo-badge">
    <Tooltip label={record.link.qboId === null ? 'Not linked to QuickBooks yet' : `QuickBooks id ${record.link.qboId}, SyncToken ${record.link.syncToken ?? '—'}`}>
      <Badge variant="outline" color={record.link.qboId === null ? 'gray' : 'teal'} data-testid="qbo-id">
        {record.link.qboId === null ? 'QBO —' : `QBO #${record.link.qboId}`}
      </Badge>
    </Tooltip>
    <SyncStatusBadge status={record.syncStatus} />
    {record.link.syncToken === null ? null : (
      <Text size="xs" c="dimmed" data-testid="sync-token">
        v{record.link.syncToken}
      </Text>
    )}
  </Group>
);

export const RecordsPage = () => {
  const { tenant = '' } = useParams();
  const [type, setType] = useState<RecordType>('customer');
  const [syncStatus, setSyncStatus] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 200);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1] ?? null;
  const records = useRecords(tenant, type, { syncStatus, after });
  const reset = () => setCursors([null]);

  return (
    <Stack maw={1200}>
      <Title order={2}>Records</Title>
      <SegmentedControl
        aria-label="Record type"
        data={RECORD_TYPES.map((value) => ({ value, label: RECORD_TYPE_LABEL[value] }))}
        value={type}
        onChange={(value) => {
          setType(value as RecordType);
          reset();
        }}
      />
      <Group align="flex-end">
        <TextInput label="Search" description="Local id, name, email or QuickBooks id, in the loaded page" placeholder="Search…" value={search} onChange={(event) => setSearch(event.currentTarget.value)} w={360} />
        <Select
          label="Sync status"
          placeholder="Any"
          clearable
          data={['pending', 'synced', 'failed', 'review', 'conflict']}
          value={syncStatus}
          onChange={(value) => {
            setSyncStatus(value);
            reset();
          }}
        />
      </Group>
      <QueryState query={records} label="records" isEmpty={(page) => page.items.filter((record) => matches(record, debounced)).length === 0} empty="No records match.">
        {(page) => (
          <>
            <Table striped aria-label={`${RECORD_TYPE_LABEL[type]} records`} verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Local id</Table.Th>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>QuickBooks</Table.Th>
                  <Table.Th>Last synced</Table.Th>
                  <Table.Th>Last error</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {page.items
                  .filter((record) => matches(record, debounced))
                  .map((record) => (
                    <Table.Tr key={record.localId} data-testid="record-row" data-local-id={record.localId}>
                      <Table.Td>
                        <Code>{record.localId}</Code>
                        {record.deleted ? (
                          <Badge ml="xs" color="gray" size="xs">
                            deleted
                          </Badge>
                        ) : null}
                      </Table.Td>
                      <Table.Td>{nameOf(record) || '—'}</Table.Td>
                      <Table.Td>
                        <QboBadge record={record} />
                      </Table.Td>
                      <Table.Td title={formatDateTime(record.lastSyncedAt)}>{relativeTime(record.lastSyncedAt)}</Table.Td>
                      <Table.Td>
                        {record.lastError === null ? (
                          '—'
                        ) : (
                          <Tooltip label={`Fix: ${record.lastError.hint}`} multiline w={320}>
                            <Text size="sm" c="red" lineClamp={1}>
                              {record.lastError.message}
                            </Text>
                          </Tooltip>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
              </Table.Tbody>
            </Table>
            <Group>
              <Button variant="default" size="xs" disabled={cursors.length === 1} onClick={() => setCursors((list) => list.slice(0, -1))}>
                Previous page
              </Button>
              <Button variant="default" size="xs" disabled={page.nextCursor === null} onClick={() => setCursors((list) => [...list, page.nextCursor])}>
                Next page
              </Button>
            </Group>
          </>
        )}
      </QueryState>
    </Stack>
  );
};
