// The webhook half of the sandbox's seam: what helper A's Accounting API reports after each committed
// change, the delivery configuration, and the dispatcher handle it mounts.
import type { Router } from 'express';

export type ChangeOperation = 'Create' | 'Update' | 'Delete' | 'Void' | 'Merge' | 'Emailed';

export interface EntityChange {
  realmId: string;
  /** 'Customer', 'Invoice', … as QBO names the entity. */
  entityName: string;
  id: string;
  operation: ChangeOperation;
  lastUpdated: Date;
  /** Merge only: the id of the record merged away. */
  deletedId?: string;
}

export interface WebhookConfig {
  url?: string;
  verifierToken?: string;
  format?: 'classic' | 'cloudevents';
  /** Changes arriving within this window go out in one POST. */
  batchDelayMs?: number;
  /** Send every POST twice. */
  duplicate?: boolean;
  /** Split a batch into one POST per change and send them newest first. */
  outOfOrder?: boolean;
  /** Further attempts after a retryable failure. */
  maxRetries?: number;
  /** First retry delay; each later one doubles it. */
  retryDelayMs?: number;
  /** How long the receiver has to answer (Intuit: 3 s). */
  timeoutMs?: number;
}

export type ResolvedWebhookConfig = Required<Omit<WebhookConfig, 'url'>> & { url: string | undefined };

export interface DeliveryAttempt {
  /** One id per POST body; retries and duplicates of the same body share it. */
  deliveryId: string;
  /** 1-based; 2+ are retries. */
  attempt: number;
  /** 1 for the original send, 2 for the on-demand duplicate. */
  copy: number;
  at: string;
  url: string;
  format: 'classic' | 'cloudevents';
  eventCount: number;
  realmIds: string[];
  /** HTTP status of the receiver's answer; null when it never answered. */
  status: number | null;
  error?: string;
  outcome: 'delivered' | 'retrying' | 'failed';
  durationMs: number;
  body: string;
  signature: string;
}

export interface WebhookDispatcher {
  /** Called after every committed create/update/delete/void/merge. */
  notify(change: EntityChange): void;
  /** Mounted at '/__sandbox/webhooks'. */
  controlsRouter: Router;
  /** Deliver everything pending now and wait for it, retries included. */
  flush(): Promise<void>;
  deliveries(): readonly DeliveryAttempt[];
  configure(patch: Partial<Omit<WebhookConfig, 'url'>> & { url?: string | null }): ResolvedWebhookConfig;
  config(): ResolvedWebhookConfig;
  stop(): Promise<void>;
  snapshot(): unknown;
  restore(state: unknown): void;
  reset(): void;
}

export const DEFAULT_WEBHOOK_CONFIG: ResolvedWebhookConfig = {
  url: undefined,
  verifierToken: 'sandbox-verifier-token',
  format: 'classic',
  batchDelayMs: 100,
  duplicate: false,
  outOfOrder: false,
  maxRetries: 3,
  retryDelayMs: 200,
  timeoutMs: 3000,
};
