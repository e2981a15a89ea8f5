// Sign-in: email and password, the api's own words on failure, then on to where the person was going.

import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { useLogin, useSession } from '../api/session.js';
import { errorText } from '../components/query-state.js';

export const LoginPage = () => {
  const session = useSession();
  const login = useLogin();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  const form = useForm({
    initialValues: { email: '', password: '' },
    validate: {
      email: (value) => (/^\S+@\S+$/.test(value) ? null : 'Enter your email address'),
      password: (value) => (value.length > 0 ? null : 'Enter your password'),
    },
  });
  if (session.data !== null && session.data !== undefined) return <Navigate to={from} replace />;
  return (
    <Center mih="100vh" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" radius="md" w={380}>
        <form onSubmit={form.onSubmit((values) => login.mutate(values, { onSuccess: () => void navigate(from, { replace: true }) }))}>
          <Stack>
            <div>
              <Title order={2}>qbo-sync</Title>
              <Text c="dimmed" size="sm">
                Sign in to keep your records in sync with QuickBooks Online.
              </Text>
            </div>
            {login.isError ? (
              <Alert color="red" role="alert" title="Sign-in failed">
                {errorText(login.error)}
              </Alert>
            ) : null}
            <TextInput label="Email" type="email" autoComplete="username" required autoFocus {...form.getInputProps('email')} />
            <PasswordInput label="Password" autoComplete="current-password" required {...form.getInputProps('password')} />
            <Button type="submit" loading={login.isPending}>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
};
