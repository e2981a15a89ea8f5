// The frame around a tenant's screens: the app shell with navigation, who is signed in, and sign-out.

import { AppShell, Badge, Burger, Button, Group, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, NavLink as RouterNavLink, Outlet, useParams } from 'react-router';
import { canConfigure, roleOf, useLogout, useSession } from '../api/session.js';

interface NavItem {
  readonly to: string;
  readonly label: string;
  readonly end?: boolean;
}

const NAV: readonly NavItem[] = [
  { to: '', label: 'Overview', end: true },
  { to: 'activity', label: 'Activity' },
  { to: 'records', label: 'Records' },
  { to: 'review', label: 'Review queue' },
  { to: 'settings', label: 'Sync settings' },
];
const REFERENCE: NavItem = { to: 'api-reference', label: 'API reference' };

export const TenantLayout = () => {
  const { tenant = '' } = useParams();
  const session = useSession();
  const logout = useLogout();
  const role = roleOf(session.data);
  const [opened, { toggle }] = useDisclosure();
  const nav: readonly NavItem[] = canConfigure(role) ? [...NAV, { to: 'api-keys', label: 'API keys' }, REFERENCE] : [...NAV, REFERENCE];
  const who = session.data?.kind === 'user' ? session.data.user.email : session.data?.kind === 'api_key' ? session.data.apiKey.name : '';
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group>
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Title order={4}>qbo-sync</Title>
            <Button component={Link} to="/" variant="subtle" size="compact-sm" aria-label="Switch tenant">
              {tenant} ▾
            </Button>
          </Group>
          <Group gap="sm">
            <Text size="sm">{who}</Text>
            {role === null ? null : (
              <Badge variant="outline" data-testid="role-badge">
                {role}
              </Badge>
            )}
            <Button variant="default" size="compact-sm" onClick={() => logout.mutate()} loading={logout.isPending}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Tenant sections">
        {nav.map((item) => (
          <NavLink key={item.to} component={RouterNavLink} to={item.to} end={item.end ?? false} label={item.label} />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
};
