// Why a sync could not be requested: each names what a person can do about it; the api maps them to 4xx.

export class NotConnectedError extends Error {
  override readonly name = 'NotConnectedError';
  constructor(readonly tenantId: string, readonly connectionState: 'never_connected' | 'disconnected') {
    super(`tenant ${tenantId} is ${connectionState === 'disconnected' ? 'disconnected from' : 'not connected to'} QuickBooks; connect it first`);
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
