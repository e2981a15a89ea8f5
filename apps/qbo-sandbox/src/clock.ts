// The sandbox's controllable clock: tests set and advance it to reach token expiries and CDC windows
// without waiting. Every part of the sandbox reads time through it, never through Date directly.

export interface SandboxClock {
  now(): Date;
  set(at: Date): void;
  advance(ms: number): void;
  /** Back to following the real time. */
  reset(): void;
}

export const createSandboxClock = (start?: Date): SandboxClock => {
  // Offset from real time, so a set clock keeps ticking like a real one.
  let offsetMs = start ? start.getTime() - Date.now() : 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    set: (at) => {
      offsetMs = at.getTime() - Date.now();
    },
    advance: (ms) => {
      offsetMs += ms;
    },
    reset: () => {
      offsetMs = 0;
    },
  };
};
