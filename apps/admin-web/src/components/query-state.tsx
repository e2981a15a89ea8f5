// Loading, error and empty states for any query, so no screen is ever blank or silently broken.

import { Alert, Button, Center, Group, Loader, Stack, Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiError } from '../api/api-client.js';

export const errorText = (error: unknown): string => {
  if (error instanceof ApiError) return error.detail === undefined ? error.title : `${error.title}: ${error.detail}`;
  return error instanceof Error ? error.message : String(error);
};

export const ErrorAlert = ({ error, title = 'Something went wrong', onRetry }: { error: unknown; title?: string; onRetry?: () => void }) => (
  <Alert color="red" title={title} role="alert">
    <Stack gap="xs">
      <Text size="sm">{errorText(error)}</Text>
      {onRetry === undefined ? null : (
        <Group>
          <Button size="xs" variant="light" color="red" onClick={onRetry}>
            Try again
          </Button>
        </Group>
      )}
    </Stack>
  </Alert>
);

export const EmptyState = ({ children }: { children: ReactNode }) => (
  <Center py="xl">
    <Text c="dimmed" ta="center">
      {children}
    </Text>
  </Center>
);

/** Renders loading, error, or `children(data)`; `isEmpty` picks the empty state. */
export function QueryState<T>(props: {
  query: UseQueryResult<T>;
  label: string;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  const { query } = props;
  if (query.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label={`Loading ${props.label}`} />
      </Center>
    );
  }
  if (query.isError) return <ErrorAlert error={query.error} title={`Could not load ${props.label}`} onRetry={() => void query.refetch()} />;
  if (props.isEmpty?.(query.data) === true) return <EmptyState>{props.empty ?? `No ${props.label} yet.`}</EmptyState>;
  return <>{props.children(query.data)}</>;
}
