// Mounts the admin app: Mantine theme and notifications, TanStack Query, and the router. Screens that need
// a session send a signed-out visitor to /login and back afterwards.

import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import { Center, Loader, MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Navigate, Outlet, RouterProvider, createBrowserRouter, useLocation } from 'react-router';
import { ApiError } from './api/api-client.js';
import { SESSION_KEY, useSession } from './api/session.js';
import { ErrorAlert } from './components/query-state.js';
import { ActivityPage } from './pages/activity-page.js';
import { ApiKeysPage } from './pages/api-keys-page.js';
import { LoginPage } from './pages/login-page.js';
import { OverviewPage } from './pages/overview-page.js';
import { RecordsPage } from './pages/records-page.js';
import { ReviewPage } from './pages/review-page.js';
import { SettingsPage } from './pages/settings-page.js';
import { SyncRunPage } from './pages/sync-run-page.js';
import { TenantLayout } from './pages/tenant-layout.js';
import { TenantPickerPage } from './pages/tenant-picker-page.js';

const queryClient: QueryClient = new QueryClient({
  defaultOptions: { queries: { retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2 } },
  // A session that ends (expired, signed out elsewhere) sends the app back to the login page.
  queryCache: new QueryCache({
    onError: (error) => {
      if (error instanceof ApiError && error.status === 401) queryClient.setQueryData(SESSION_KEY, null);
    },
  }),
});

const RequireSession = () => {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) {
    return (
      <Center mih="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (session.isError) return <ErrorAlert error={session.error} title="The api cannot be reached" onRetry={() => void session.refetch()} />;
  if (session.data === null) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  return <Outlet />;
};

const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  {
    element: <RequireSession />,
    children: [
      { path: '/', element: <TenantPickerPage /> },
      {
        path: '/t/:tenant',
        element: <TenantLayout />,
        children: [
          { index: true, element: <OverviewPage /> },
          { path: 'activity', element: <ActivityPage /> },
          { path: 'activity/:syncId', element: <SyncRunPage /> },
          { path: 'records', element: <RecordsPage /> },
          { path: 'review', element: <ReviewPage /> },
          { path: 'settings', element: <SettingsPage /> },
          { path: 'api-keys', element: <ApiKeysPage /> },
          { path: 'api-reference', lazy: async () => ({ Component: (await import('./pages/api-reference-page.js')).ApiReferencePage }) },
        ],
      },
    ],
  },
  { path: '*', element: <Navigate to="/" replace /> },
]);

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <MantineProvider>
      <Notifications />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
