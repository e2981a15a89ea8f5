// The SyncLock port in one process: a promise chain per (tenant, type).

import type { SyncLock } from '@qbo-sync/domain';

export const createInMemorySyncLock = (): SyncLock => {
  const tails = new Map<string, Promise<unknown>>();
  return {
    hold: async (tenantId, type, work) => {
      const key = `${tenantId}\u0000${type}`;
      const before = tails.get(key) ?? Promise.resolve();
      let release: () => void = () => undefined;
      const mine = new Promise<void>((resolve) => (release = resolve));
      const tail = before.then(() => mine);
      tails.set(key, tail);
      await before;
      try {
        return await work();
      } finally {
        release();
        if (tails.get(key) === tail) tails.delete(key);
      }
    },
  };
};
