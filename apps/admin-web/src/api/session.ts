// Who is signed in: read once from GET /v1/auth/session (a 401 means nobody), kept in TanStack Query, and
// the CSRF token handed to the api client for writes. Role checks for the UI live here too; the api enforces
// them regardless.

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, setCsrfToken } from './api-client.js';
import type { Role, Session } from './types.js';

export const SESSION_KEY = ['session'] as const;

export const useSession = () =>
  useQuery({
    queryKey: SESSION_KEY,
    queryFn: async (): Promise<Session | null> => {
      try {
        const session = await api.get<Session>('/v1/auth/session');
        setCsrfToken(session.kind === 'user' ? session.csrfToken : null);
        return session;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
    retry: false,
  });

export const useLogin = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (credentials: { email: string; password: string }) => api.post<Session>('/v1/auth/login', credentials),
    onSuccess: (session) => {
      setCsrfToken(session.kind === 'user' ? session.csrfToken : null);
      client.setQueryData(SESSION_KEY, session);
    },
  });
};

export const useLogout = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<void>('/v1/auth/logout'),
    onSettled: () => {
      setCsrfToken(null);
      client.clear();
      client.setQueryData(SESSION_KEY, null);
    },
  });
};

export const roleOf = (session: Session | null | undefined): Role | null =>
  session === null || session === undefined ? null : session.kind === 'user' ? session.user.role : session.apiKey.role;

/** Sync and fix: admins and operators. */
export const canOperate = (role: Role | null): boolean => role === 'admin' || role === 'operator';
/** Connection, settings, API keys: admins. */
export const canConfigure = (role: Role | null): boolean => role === 'admin';
