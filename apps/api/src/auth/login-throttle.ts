// Slows password guessing: after a few failed logins for one email from one address, further attempts are
// refused for a while. In memory, per api process: a speed bump, not an account lock-out.

export const createLoginThrottle = (options: { maxFailures?: number; windowMs?: number; now?: () => number } = {}) => {
  const maxFailures = options.maxFailures ?? 5;
  const windowMs = options.windowMs ?? 15 * 60 * 1000;
  const now = options.now ?? Date.now;
  const failures = new Map<string, number[]>();
  const recent = (key: string): number[] => (failures.get(key) ?? []).filter((at) => now() - at < windowMs);
  return {
    /** Seconds until another attempt is allowed, or 0. */
    retryAfter: (key: string): number => {
      const list = recent(key);
      if (list.length < maxFailures) return 0;
      return Math.ceil((windowMs - (now() - (list[0] ?? now()))) / 1000);
    },
    failed: (key: string): void => {
      if (failures.size > 10_000) failures.clear();
      failures.set(key, [...recent(key), now()]);
    },
    succeeded: (key: string): void => {
      failures.delete(key);
    },
  };
};

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
