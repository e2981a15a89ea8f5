// Why a sync could not be requested: each names what a person can do about it; the api maps them to 4xx.

import type { SyncBlocker } from '@qbo-sync/domain';
import { reconnectHint } from '../connection/reconnect-hint.js';

const notConnectedMessage = (tenantId: string, blocker: SyncBlocker): string => {
  switch (blocker) {
    case 'never_connected':
      return `tenant ${tenantId} is not connected to QuickBooks; connect it first`;
    case 'disconnected':
      return `tenant ${tenantId} is disconnected from QuickBooks; ${reconnectHint(tenantId)}`;
    case 'down':
      return `QuickBooks no longer accepts tenant ${tenantId}'s connection (it refused the stored grant or the calls made with it); ${reconnectHint(tenantId)}`;
  }
};

/** The tenant's connection cannot carry a sync: never connected, disconnected, or down until reconnected. */
export class NotConnectedError extends Error {
  override readonly name = 'NotConnectedError';
  constructor(readonly tenantId: string, readonly connectionState: SyncBlocker) {
    super(notConnectedMessage(tenantId, connectionState));
  }
}

export class IdempotencyKeyReusedError extends Error {
  override readonly name = 'IdempotencyKeyReusedError';
  constructor() {
    super('this key already requested a different sync; use a new key');
  }
}

export class SyncNotFoundError extends Error {
  override readonly name = 'SyncNotFoundError';
  constructor(readonly tenantId: string, readonly syncId: string) {
    super(`no sync run ${syncId} in tenant ${tenantId}`);
  }
}

export class RunNotFinishedError extends Error {
  override readonly name = 'RunNotFinishedError';
  constructor(readonly syncId: string, readonly status: string) {
    super(`sync ${syncId} is still ${status}; retry its failures once it has finished`);
  }
}

export class NothingToRetryError extends Error {
  override readonly name = 'NothingToRetryError';
  constructor(readonly syncId: string, readonly recordType: string) {
    super(`sync ${syncId} parked no failed ${recordType} records`);
  }
}
