// Choose the tenant (one QuickBooks company and its records) to work in; admins can create one here.

import { Button, Card, Center, Group, Modal, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { Link, useNavigate } from 'react-router';
import { useCreateTenant, useTenants } from '../api/queries.js';
import { canConfigure, roleOf, useSession } from '../api/session.js';
import { ErrorAlert, QueryState } from '../components/query-state.js';

const TENANT_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;

const NewTenantModal = ({ opened, onClose }: { opened: boolean; onClose: () => void }) => {
  const create = useCreateTenant();
  const navigate = useNavigate();
  const form = useForm({
    initialValues: { id: '', name: '' },
    validate: {
      id: (value) => (TENANT_ID.test(value) ? null : 'Lower-case letters, digits, "_" or "-", starting with a letter or digit'),
      name: (value) => (value.trim().length > 0 ? null : 'Give the tenant a name'),
    },
  });
  return (
    <Modal opened={opened} onClose={onClose} title="New tenant">
      <form
        onSubmit={form.onSubmit((values) =>
          create.mutate(values, {
            onSuccess: (tenant) => {
              notifications.show({ color: 'green', message: `Tenant ${tenant.name} created` });
              onClose();
              void navigate(`/t/${tenant.id}`);
            },
          }),
        )}
      >
        <Stack>
          {create.isError ? <ErrorAlert error={create.error} title="Could not create the tenant" /> : null}
          <TextInput label="Name" placeholder="Acme Inc." required data-autofocus {...form.getInputProps('name')} />
          <TextInput label="Tenant id" description="Used in API paths; cannot change later" placeholder="acme" required {...form.getInputProps('id')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create tenant
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
};

export const TenantPickerPage = () => {
  const tenants = useTenants();
  const session = useSession();
  const admin = canConfigure(roleOf(session.data));
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <Center py="xl">
      <Stack w={720} px="md">
        <Group justify="space-between">
          <Title order={2}>Choose a tenant</Title>
          {admin ? <Button onClick={open}>New tenant</Button> : null}
        </Group>
        <QueryState
          query={tenants}
          label="tenants"
          isEmpty={(list) => list.length === 0}
          empty={admin ? 'No tenants yet. Create one to connect a QuickBooks company.' : 'You are not a member of any tenant yet. Ask an admin to add you.'}
        >
          {(list) => (
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {list.map((tenant) => (
                <Card key={tenant.id} withBorder component={Link} to={`/t/${tenant.id}`} aria-label={`Open tenant ${tenant.name}`}>
                  <Text fw={600}>{tenant.name}</Text>
                  <Text size="sm" c="dimmed">
                    {tenant.id}
                  </Text>
                </Card>
              ))}
            </SimpleGrid>
          )}
        </QueryState>
      </Stack>
      <NewTenantModal opened={opened} onClose={close} />
    </Center>
  );
};
