// What the api answers, as far as the admin app reads it (docs/access-control.md, docs/connection.md,
// docs/api.md).

export type Role = 'admin' | 'operator' | 'auditor';
export const RECORD_TYPES = ['customer', 'item', 'invoice', 'payment'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];
export const RECORD_TYPE_LABEL: Record<RecordType, string> = { customer: 'Customers', item: 'Items', invoice: 'Invoices', payment: 'Payments' };

export type Session =
  | { kind: 'user'; user: { id: string; email: string; name: string; role: Role; tenants: string[] }; csrfToken: string }
  | { kind: 'api_key'; apiKey: { id: string; name: string; role: Role; tenantId: string } };

export interface Tenant {
  id: string;
  name: string;
}

export interface ConnectionStatus {
  tenantId: string;
  state: 'not_connected' | 'connected' | 'disconnected';
  realmId?: string | null;
  companyName?: string | null;
  health?: 'healthy' | 'degraded' | 'down' | null;
  healthReason?: string | null;
  accessTokenExpiresAt?: string | null;
  refreshTokenExpiresAt?: string | null;
  lastSyncAt?: string | null;
  refreshTokenHardExpiresAt?: string | null;
  lastError?: { message: string; at: string | null } | null;
  warnings: { code: string; message: string }[];
}

export interface SyncErrorView {
  kind: string;
  qboCode: string | null;
  message: string;
  hint: string;
  retriable: boolean;
}

export interface RecordView {
  type: RecordType;
  localId: string;
  record: Record<string, unknown> | null;
  localRevision: number;
  deleted: boolean;
  link: { qboId: string | null; syncToken: string | null; remoteStatus: string | null };
  syncStatus: 'pending' | 'synced' | 'failed' | 'review' | 'conflict';
  lastSyncedAt: string | null;
  lastError: (SyncErrorView & { parked?: boolean }) | null;
  review: Record<string, unknown> | null;
  updatedAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type SyncRunStatus = 'requested' | 'running' | 'completed' | 'completed_with_failures' | 'failed' | 'cancelled';
export const SYNC_RUN_STATUSES: SyncRunStatus[] = ['requested', 'running', 'completed', 'completed_with_failures', 'failed', 'cancelled'];

/** Each record a run touched counts once, in the bucket of its final outcome: the buckets add up to planned. */
export interface SyncCounts {
  planned: number;
  created: number;
  updated: number;
  matched: number;
  deactivated: number;
  voided: number;
  deleted: number;
  pulled: number;
  remote_deleted: number;
  conflict: number;
  review: number;
  skipped: number;
  failed: number;
}

export interface SyncRun {
  syncId: string;
  type: RecordType;
  direction: 'push' | 'pull';
  dryRun: boolean;
  retryOf: string | null;
  requestedBy: string;
  status: SyncRunStatus;
  counts: SyncCounts;
  reason: string | null;
  /** Set while the run waits on QuickBooks' limits. */
  waitingUntil: string | null;
  requestedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface RunRecord {
  type: RecordType;
  localId: string;
  qboId: string | null;
  outcome: string;
  operation: string | null;
  error: SyncErrorView | null;
  attempt: number | null;
  parked: boolean;
  at: string;
  /** What the record went through in the run, in order. */
  steps: { event: string; at: string; detail: Record<string, unknown> }[];
}

export interface SyncSettings {
  type: RecordType;
  mode: string;
  schedule: string | null;
  conflictPolicy: string;
  changedBy: string | null;
  updatedAt: string | null;
}

export interface ApiKey {
  id: string;
  name: string;
  role: 'operator' | 'auditor';
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export const isFinished = (status: SyncRunStatus): boolean => status !== 'requested' && status !== 'running';
