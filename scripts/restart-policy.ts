// When `pnpm start` restarts a crashed service, and when it gives up: a crash is met by a restart after a wait
// that doubles with each crash in a row (1 s, 2 s, 4 s … at most 30 s), so a service whose database is down
// for a minute is not restarted hundreds of times; a service that stayed up a while starts again from 1 s.
// Too many crashes within the window is a crash loop: nothing a restart will mend, so the whole stack stops.

export interface RestartPolicy {
  /** Crashes allowed within `windowMs` before the stack stops (a crash loop). */
  readonly maxCrashes: number;
  readonly windowMs: number;
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  maxCrashes: 5,
  windowMs: 120_000,
  firstDelayMs: 1_000,
  maxDelayMs: 30_000,
};

export type RestartDecision =
  | { readonly kind: 'restart'; readonly delayMs: number; readonly crashesInWindow: number }
  | { readonly kind: 'give_up'; readonly crashesInWindow: number };

/** `crashes`: when this service crashed, oldest first, the one just seen last. */
export const decideRestart = (policy: RestartPolicy, crashes: readonly number[], now: number): RestartDecision => {
  const recent = crashes.filter((at) => now - at <= policy.windowMs).length;
  if (recent > policy.maxCrashes) return { kind: 'give_up', crashesInWindow: recent };
  return {
    kind: 'restart',
    delayMs: Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (recent - 1)),
    crashesInWindow: recent,
  };
};
