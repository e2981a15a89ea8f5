// The tenant's QuickBooks connection: company, realm, health, token expiry warnings, last sync, and the
// connect / reconnect / disconnect actions (admins). Connecting leaves the app for Intuit's consent page.

import { Alert, Badge, Button, Card, Group, Modal, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { tenantPath } from '../api/api-client.js';
import { useConnection, useDisconnect } from '../api/queries.js';
import { canConfigure, roleOf, useSession } from '../api/session.js';
import { formatDateTime, relativeTime } from './format.js';
import { ErrorAlert, errorText } from './query-state.js';
import { HealthBadge } from './status-badges.js';

const TOKEN_WARNING_MS = 10 * 60 * 1000;

const Field = ({ label, children }: { label: string; children: React.ReactNode }) => (
  <div>
    <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
      {label}
    </Text>
    <Text size="sm" component="div">
      {children}
    </Text>
  </div>
);

export const ConnectionCard = ({ tenant }: { tenant: string }) => {
  const connection = useConnection(tenant);
  const disconnect = useDisconnect(tenant);
  const session = useSession();
  const admin = canConfigure(roleOf(session.data));
  const [confirming, { open, close }] = useDisclosure(false);
  const connect = () => window.location.assign(tenantPath(tenant, '/connection/authorize'));

  if (connection.isPending) return <Skeleton height={180} radius="md" aria-label="Loading the connection" />;
  if (connection.isError) return <ErrorAlert error={connection.error} title="Could not load the connection" onRetry={() => void connection.refetch()} />;
  const status = connection.data;
  const connected = status.state === 'connected';
  const accessExpiry = status.accessTokenExpiresAt ? new Date(status.accessTokenExpiresAt).getTime() - Date.now() : null;

  return (
    <Card withBorder radius="md" padding="lg" aria-labelledby="connection-title" data-testid="connection-card" data-state={status.state}>
      <Stack>
        <Group justify="space-between">
          <Title order={3} id="connection-title">
            QuickBooks connection
          </Title>
          <Group gap="xs">
            <Badge color={connected ? 'green' : 'gray'} variant="light" data-testid="connection-state">
              {status.state.replace('_', ' ')}
            </Badge>
            {connected ? <HealthBadge health={status.health} /> : null}
          </Group>
        </Group>
        {status.state === 'not_connected' ? (
          <Text c="dimmed">No QuickBooks company is connected to this tenant yet.</Text>
        ) : (
          <Group grow align="flex-start">
            <Field label="Company">
              <span data-testid="company-name">{status.companyName ?? '—'}</span>
            </Field>
            <Field label="Realm">{status.realmId ?? '—'}</Field>
            <Field label="Last sync">
              <span title={formatDateTime(status.lastSyncAt)}>{relativeTime(status.lastSyncAt)}</span>
            </Field>
            <Field label="Access token">{connected ? (accessExpiry !== null && accessExpiry > 0 ? `expires ${relativeTime(status.accessTokenExpiresAt)}` : 'refreshes on next use') : '—'}</Field>
          </Group>
        )}
        {connected && status.health === 'down' ? (
          <Alert color="red" title="QuickBooks no longer accepts this connection" data-testid="connection-down">
            {status.healthReason ?? 'QuickBooks refused the stored grant'}. Pull and push are paused until an admin reconnects; records and history are kept, and the
            same tenant carries on after the reconnect.
          </Alert>
        ) : status.healthReason && connected ? (
          <Text size="sm" c="dimmed">
            Health: {status.healthReason}
          </Text>
        ) : null}
        {status.warnings
          .filter((warning) => !(warning.code === 'reconnect_required' && connected && status.health === 'down'))
          .map((warning) => (
          <Alert key={warning.code} color="orange" title="Needs attention" data-testid="connection-warning">
            {warning.message}
          </Alert>
        ))}
        {connected && accessExpiry !== null && accessExpiry > 0 && accessExpiry < TOKEN_WARNING_MS && status.warnings.length === 0 ? (
          <Text size="xs" c="dimmed">
            The access token is refreshed automatically before it expires.
          </Text>
        ) : null}
        {status.lastError ? (
          <Text size="sm" c="red">
            Last error {relativeTime(status.lastError.at)}: {status.lastError.message}
          </Text>
        ) : null}
        {admin ? (
          <Group>
            {status.state === 'not_connected' ? <Button onClick={connect}>Connect to QuickBooks</Button> : null}
            {status.state === 'disconnected' || (connected && status.health === 'down') ? <Button onClick={connect}>Reconnect</Button> : null}
            {connected ? (
              <Button variant="light" color="red" onClick={open}>
                Disconnect
              </Button>
            ) : null}
          </Group>
        ) : (
          <Text size="xs" c="dimmed">
            Only admins connect or disconnect QuickBooks.
          </Text>
        )}
      </Stack>
      <Modal opened={confirming} onClose={close} title="Disconnect QuickBooks?">
        <Stack>
          <Text size="sm">
            This revokes the connection at Intuit. Records, links and history stay here; reconnecting the same company later picks up where it left off.
          </Text>
          {disconnect.isError ? <ErrorAlert error={disconnect.error} title="Could not disconnect" /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button
              color="red"
              loading={disconnect.isPending}
              onClick={() =>
                disconnect.mutate(undefined, {
                  onSuccess: () => {
                    close();
                    notifications.show({ color: 'green', message: 'QuickBooks disconnected' });
                  },
                  onError: (error) => notifications.show({ color: 'red', message: errorText(error) }),
                })
              }
            >
              Disconnect
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
};
