// A tiny signal that lets a polling subscriber sleep until something was appended (or a timeout passes),
// without missing a signal sent between its read and its wait.

export interface WakeUp {
  version(): number;
  notify(): void;
  /** Resolves when notify() was called after `seen`, or after timeoutMs. */
  wait(seen: number, timeoutMs: number): Promise<void>;
}

export const createWakeUp = (): WakeUp => {
  let version = 0;
  let waiters: Array<() => void> = [];
  return {
    version: () => version,
    notify: () => {
      version++;
      const woken = waiters;
      waiters = [];
      for (const wake of woken) wake();
    },
    wait: (seen, timeoutMs) =>
      seen !== version
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const timer = setTimeout(done, timeoutMs);
            function done(): void {
              clearTimeout(timer);
              waiters = waiters.filter((waiter) => waiter !== done);
              resolve();
            }
            waiters.push(done);
          }),
  };
};
