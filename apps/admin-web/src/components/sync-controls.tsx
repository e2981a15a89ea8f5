// Pull and Push per record type: a click is confirmed at once (the api answers 202 with the run's id), then
// the run's progress shows live under the buttons. Auditors see the buttons disabled, labelled read-only; so does
// everyone while the connection cannot carry a sync (not connected, or down), with why.

import { Button, Card, Group, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useRequestSync } from '../api/queries.js';
import { canOperate, roleOf, useSession } from '../api/session.js';
import { RECORD_TYPES, RECORD_TYPE_LABEL, type RecordType } from '../api/types.js';
import { errorText } from './query-state.js';
import { RunProgress } from './run-progress.js';

export const SyncControls = ({ tenant, blockedBy }: { tenant: string; blockedBy: string | null }) => {
  const session = useSession();
  const allowed = canOperate(roleOf(session.data));
  const request = useRequestSync(tenant);
  const [latest, setLatest] = useState<Partial<Record<RecordType, string>>>({});
  const start = (type: RecordType, direction: 'pull' | 'push') =>
    request.mutate(
      { type, direction },
      {
        onSuccess: ({ syncId }) => {
          setLatest((current) => ({ ...current, [type]: syncId }));
          notifications.show({ color: 'blue', title: `${direction === 'pull' ? 'Pull' : 'Push'} of ${RECORD_TYPE_LABEL[type].toLowerCase()} started`, message: `Run ${syncId.slice(0, 8)} is queued` });
        },
        onError: (error) => notifications.show({ color: 'red', title: `Could not start the ${direction}`, message: errorText(error) }),
      },
    );
  const disabledReason = !allowed ? 'Read-only: your role cannot start syncs' : blockedBy;

  return (
    <Card withBorder radius="md" padding="lg">
      <Stack>
        <Group justify="space-between">
          <Title order={3}>Pull and push</Title>
          {disabledReason === null ? null : (
            <Text size="sm" c="dimmed" data-testid="sync-disabled-reason">
              {disabledReason}
            </Text>
          )}
        </Group>
        <Table verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Record type</Table.Th>
              <Table.Th>Actions</Table.Th>
              <Table.Th w="55%">Latest run</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {RECORD_TYPES.map((type) => (
              <Table.Tr key={type} data-testid={`sync-row-${type}`}>
                <Table.Td>{RECORD_TYPE_LABEL[type]}</Table.Td>
                <Table.Td>
                  <Group gap="xs">
                    {(['pull', 'push'] as const).map((direction) => (
                      <Tooltip key={direction} label={disabledReason} disabled={disabledReason === null}>
                        <Button
                          size="xs"
                          variant={direction === 'push' ? 'filled' : 'light'}
                          disabled={disabledReason !== null}
                          loading={request.isPending && request.variables?.type === type && request.variables.direction === direction}
                          onClick={() => start(type, direction)}
                          aria-label={`${direction === 'pull' ? 'Pull' : 'Push'} ${RECORD_TYPE_LABEL[type].toLowerCase()}`}
                        >
                          {direction === 'pull' ? 'Pull' : 'Push'}
                        </Button>
                      </Tooltip>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>{latest[type] === undefined ? <Text size="xs" c="dimmed">—</Text> : <RunProgress tenant={tenant} syncId={latest[type]} />}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Card>
  );
};
