// Server state for every screen, through TanStack Query: one hook per resource, keys scoped by tenant.

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { api, queryString, tenantPath } from './api-client.js';
import type { ApiKey, ConnectionStatus, Page, RecordType, RecordView, RunRecord, SyncRun, SyncRunStatus, SyncSettings, Tenant } from './types.js';
import { isFinished } from './types.js';

export const useTenants = () => useQuery({ queryKey: ['tenants'], queryFn: () => api.get<{ tenants: Tenant[] }>('/v1/tenants').then((body) => body.tenants) });

export const useCreateTenant = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (tenant: Tenant) => api.post<Tenant>('/v1/tenants', tenant),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['tenants'] }),
  });
};

export const useConnection = (tenant: string) =>
  useQuery({ queryKey: ['tenant', tenant, 'connection'], queryFn: () => api.get<ConnectionStatus>(tenantPath(tenant, '/connection')), refetchInterval: 15_000 });

export const useDisconnect = (tenant: string) => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete<unknown>(tenantPath(tenant, '/connection')),
    onSettled: () => void client.invalidateQueries({ queryKey: ['tenant', tenant, 'connection'] }),
  });
};

export interface SyncRequest {
  type: RecordType;
  direction: 'push' | 'pull';
  dryRun?: boolean;
}

export const useRequestSync = (tenant: string) => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: SyncRequest) => api.post<{ syncId: string }>(tenantPath(tenant, '/syncs'), { scope: 'changed', dryRun: false, ...request }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['tenant', tenant, 'syncs'] }),
  });
};

export const useRetryFailed = (tenant: string) => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (syncId: string) => api.post<{ syncId: string }>(tenantPath(tenant, `/syncs/${encodeURIComponent(syncId)}/retry-failed`)),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['tenant', tenant, 'syncs'] }),
  });
};

/** A run, polled every second until it finishes: the live progress of a pull or push. */
export const useSyncRun = (tenant: string, syncId: string | null) =>
  useQuery({
    queryKey: ['tenant', tenant, 'syncs', syncId],
    queryFn: () => api.get<SyncRun>(tenantPath(tenant, `/syncs/${encodeURIComponent(syncId ?? '')}`)),
    enabled: syncId !== null,
    refetchInterval: (query) => (query.state.data !== undefined && isFinished(query.state.data.status) ? false : 1_000),
  });

export interface RunFilter {
  type?: RecordType | null;
  direction?: 'push' | 'pull' | null;
  status?: string | null;
}

export const useSyncRuns = (tenant: string, filter: RunFilter) =>
  useQuery({
    queryKey: ['tenant', tenant, 'syncs', 'list', filter],
    queryFn: () => api.get<Page<SyncRun>>(tenantPath(tenant, `/syncs${queryString({ ...filter, limit: 100 })}`)),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data?.items.some((run) => !isFinished(run.status)) === true ? 2_000 : 15_000),
  });

/**
 * A run's record outcomes, kept current with the run (`runStatus`, from useSyncRun): polled every second
 * while it is requested or running, and fetched once more when it ends, since the last poll may predate
 * its final outcomes. A page opened on a run in progress thus shows the end state without a reload.
 */
export const useRunRecords = (tenant: string, syncId: string, outcome: string | null, runStatus: SyncRunStatus | undefined) => {
  const client = useQueryClient();
  const live = runStatus !== undefined && !isFinished(runStatus);
  const wasLive = useRef(false);
  useEffect(() => {
    if (live) wasLive.current = true;
    else if (wasLive.current) {
      wasLive.current = false;
      void client.invalidateQueries({ queryKey: ['tenant', tenant, 'syncs', syncId, 'records'] });
    }
  }, [live, client, tenant, syncId]);
  return useQuery({
    queryKey: ['tenant', tenant, 'syncs', syncId, 'records', outcome],
    queryFn: () => api.get<Page<RunRecord>>(tenantPath(tenant, `/syncs/${encodeURIComponent(syncId)}/records${queryString({ outcome, limit: 500 })}`)),
    placeholderData: keepPreviousData,
    refetchInterval: live ? 1_000 : false,
  });
};

export const useRecords = (tenant: string, type: RecordType, filter: { syncStatus?: string | null; after?: string | null }) =>
  useQuery({
    queryKey: ['tenant', tenant, 'records', type, filter],
    queryFn: () => api.get<Page<RecordView>>(tenantPath(tenant, `/records/${type}${queryString({ ...filter, limit: 200 })}`)),
    placeholderData: keepPreviousData,
  });

export const useSettings = (tenant: string, type: RecordType) =>
  useQuery({
    queryKey: ['tenant', tenant, 'settings', type],
    queryFn: () => api.get<SyncSettings & { supportedModes: string[] }>(tenantPath(tenant, `/settings/sync/${type}`)),
  });

export const useSaveSettings = (tenant: string, type: RecordType) => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (settings: { mode: string; conflictPolicy: string; schedule: string | null }) => api.put<SyncSettings>(tenantPath(tenant, `/settings/sync/${type}`), settings),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['tenant', tenant, 'settings', type] }),
  });
};

export const useApiKeys = (tenant: string) =>
  useQuery({ queryKey: ['tenant', tenant, 'api-keys'], queryFn: () => api.get<{ apiKeys: ApiKey[] }>(tenantPath(tenant, '/api-keys')).then((body) => body.apiKeys) });

export const useCreateApiKey = (tenant: string) => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; role: 'operator' | 'auditor' }) => api.post<ApiKey & { key: string }>(tenantPath(tenant, '/api-keys'), input),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['tenant', tenant, 'api-keys'] }),
  });
};

export const useRevokeApiKey = (tenant: string) => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<ApiKey>(tenantPath(tenant, `/api-keys/${encodeURIComponent(id)}`)),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['tenant', tenant, 'api-keys'] }),
  });
};
