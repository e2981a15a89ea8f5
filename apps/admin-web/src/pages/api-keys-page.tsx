// A tenant's API keys for host applications: create (the key is shown once, in a modal), list, revoke.

import { Alert, Badge, Button, Code, CopyButton, Group, Modal, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useParams } from 'react-router';
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from '../api/queries.js';
import { formatDateTime, relativeTime } from '../components/format.js';
import { ErrorAlert, QueryState, errorText } from '../components/query-state.js';

export const ApiKeysPage = () => {
  const { tenant = '' } = useParams();
  const keys = useApiKeys(tenant);
  const create = useCreateApiKey(tenant);
  const revoke = useRevokeApiKey(tenant);
  const [opened, { open, close }] = useDisclosure(false);
  const [shown, setShown] = useState<string | null>(null);
  const form = useForm({
    initialValues: { name: '', role: 'operator' as 'operator' | 'auditor' },
    validate: { name: (value) => (value.trim() === '' ? 'Name the application that will use the key' : null) },
  });
  const done = () => {
    close();
    setShown(null);
    form.reset();
    create.reset();
  };

  return (
    <Stack maw={1100}>
      <Group justify="space-between">
        <Title order={2}>API keys</Title>
        <Button onClick={open}>New API key</Button>
      </Group>
      <Text size="sm" c="dimmed">
        Host applications call the api with <Code>Authorization: Bearer &lt;key&gt;</Code>. A key reaches only this tenant.
      </Text>
      <QueryState query={keys} label="API keys" isEmpty={(list) => list.length === 0} empty="No API keys yet.">
        {(list) => (
          <Table aria-label="API keys">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Key</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>Last used</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((key) => (
                <Table.Tr key={key.id}>
                  <Table.Td>{key.name}</Table.Td>
                  <Table.Td>
                    <Code>{key.prefix}</Code>
                  </Table.Td>
                  <Table.Td>{key.role}</Table.Td>
                  <Table.Td>{formatDateTime(key.createdAt)}</Table.Td>
                  <Table.Td>{relativeTime(key.lastUsedAt)}</Table.Td>
                  <Table.Td>
                    {key.revokedAt === null ? (
                      <Button
                        size="compact-xs"
                        color="red"
                        variant="light"
                        aria-label={`Revoke key ${key.name}`}
                        loading={revoke.isPending && revoke.variables === key.id}
                        onClick={() =>
                          revoke.mutate(key.id, {
                            onSuccess: () => notifications.show({ color: 'green', message: `Key ${key.name} revoked` }),
                            onError: (error) => notifications.show({ color: 'red', message: errorText(error) }),
                          })
                        }
                      >
                        Revoke
                      </Button>
                    ) : (
                      <Badge color="gray">revoked</Badge>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
      <Modal opened={opened} onClose={done} title={shown === null ? 'New API key' : 'Your new API key'}>
        {shown === null ? (
          <form onSubmit={form.onSubmit((values) => create.mutate(values, { onSuccess: (created) => setShown(created.key) }))}>
            <Stack>
              {create.isError ? <ErrorAlert error={create.error} title="Could not create the key" /> : null}
              <TextInput label="Name" placeholder="ERP production" required data-autofocus {...form.getInputProps('name')} />
              <Select
                label="Role"
                allowDeselect={false}
                data={[
                  { value: 'operator', label: 'Operator: send records, start syncs, read' },
                  { value: 'auditor', label: 'Auditor: read only' },
                ]}
                {...form.getInputProps('role')}
              />
              <Group justify="flex-end">
                <Button variant="default" onClick={done}>
                  Cancel
                </Button>
                <Button type="submit" loading={create.isPending}>
                  Create key
                </Button>
              </Group>
            </Stack>
          </form>
        ) : (
          <Stack>
            <Alert color="orange" title="Copy it now">
              This key is shown only once. Store it in your application&apos;s secrets.
            </Alert>
            <Code block data-testid="new-api-key">
              {shown}
            </Code>
            <Group justify="flex-end">
              <CopyButton value={shown}>{({ copied, copy }) => <Button variant="light" onClick={copy}>{copied ? 'Copied' : 'Copy'}</Button>}</CopyButton>
              <Button onClick={done}>Done</Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
};
