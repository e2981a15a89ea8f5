// Sync settings per record type: mode and conflict policy. Modes the engine does not carry out yet are
// listed but disabled and labelled so, as the api reports them (supportedModes); nothing is faked.

import { Alert, Button, Card, Group, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useEffect } from 'react';
import { useParams } from 'react-router';
import { useSaveSettings, useSettings } from '../api/queries.js';
import { canConfigure, roleOf, useSession } from '../api/session.js';
import { RECORD_TYPES, RECORD_TYPE_LABEL, type RecordType } from '../api/types.js';
import { relativeTime } from '../components/format.js';
import { ErrorAlert, QueryState } from '../components/query-state.js';

const MODES = [
  { value: 'manual', label: 'Manual (Pull and Push buttons, API)' },
  { value: 'scheduled', label: 'Scheduled (cron)' },
  { value: 'realtime', label: 'Real-time (webhooks + CDC sweep)' },
];
const POLICIES = [
  { value: 'review', label: 'Hold for review' },
  { value: 'qbo_wins', label: 'QuickBooks wins' },
  { value: 'local_wins', label: 'Local wins' },
];

const TypeSettings = ({ tenant, type, editable }: { tenant: string; type: RecordType }  & { editable: boolean }) => {
  const settings = useSettings(tenant, type);
  const save = useSaveSettings(tenant, type);
  const form = useForm({ initialValues: { mode: 'manual', conflictPolicy: 'review' } });
  const { setValues, resetDirty } = form;
  useEffect(() => {
    if (settings.data === undefined) return;
    setValues({ mode: settings.data.mode, conflictPolicy: settings.data.conflictPolicy });
    resetDirty({ mode: settings.data.mode, conflictPolicy: settings.data.conflictPolicy });
  }, [settings.data]);
  return (
    <Card withBorder padding="lg" data-testid={`settings-${type}`}>
      <Title order={4} mb="sm">
        {RECORD_TYPE_LABEL[type]}
      </Title>
      <QueryState query={settings} label={`${type} settings`}>
        {(data) => (
          <form
            onSubmit={form.onSubmit((values) =>
              save.mutate(
                { ...values, schedule: null },
                { onSuccess: () => notifications.show({ color: 'green', message: `${RECORD_TYPE_LABEL[type]} settings saved` }) },
              ),
            )}
          >
            <Stack>
              <Select
                label="Mode"
                data={MODES.map((mode) => ({
                  value: mode.value,
                  label: data.supportedModes.includes(mode.value) ? mode.label : `${mode.label} — not supported yet`,
                  disabled: !data.supportedModes.includes(mode.value),
                }))}
                disabled={!editable}
                allowDeselect={false}
                {...form.getInputProps('mode')}
              />
              <Select label="When both sides changed" data={POLICIES} disabled={!editable} allowDeselect={false} {...form.getInputProps('conflictPolicy')} />
              {save.isError ? <ErrorAlert error={save.error} title="Could not save" /> : null}
              <Group justify="space-between">
                <Text size="xs" c="dimmed">
                  {data.changedBy === null ? 'Defaults apply' : `Changed ${relativeTime(data.updatedAt)} by ${data.changedBy}`}
                </Text>
                {editable ? (
                  <Button type="submit" size="xs" disabled={!form.isDirty()} loading={save.isPending}>
                    Save
                  </Button>
                ) : null}
              </Group>
            </Stack>
          </form>
        )}
      </QueryState>
    </Card>
  );
};

export const SettingsPage = () => {
  const { tenant = '' } = useParams();
  const session = useSession();
  const editable = canConfigure(roleOf(session.data));
  return (
    <Stack maw={1100}>
      <Title order={2}>Sync settings</Title>
      {editable ? null : (
        <Alert color="gray" title="Read-only">
          Only admins change sync settings.
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {RECORD_TYPES.map((type) => (
          <TypeSettings key={type} tenant={tenant} type={type} editable={editable} />
        ))}
      </SimpleGrid>
    </Stack>
  );
};
