// Why a sync run command was refused.

export class IllegalSyncTransitionError extends Error {
  override readonly name = 'IllegalSyncTransitionError';
  constructor(readonly syncId: string, readonly from: string, readonly command: string) {
    super(`sync ${syncId} is ${from}; it cannot take ${command}`);
  }
}
