// Intuit's throttles, per realm: 500 requests a minute (batch calls count), 10 requests in flight
// per realm+app, and batch calls at 40 a minute per realm+app and 120 a minute per realm. Windows
// slide on the sandbox clock, so a test can advance past them. `false` turns them all off.

import type { SandboxClock } from '../clock.js';

export interface Limits {
  requestsPerMinute: number;
  inFlight: number;
  batchPerMinute: number;
  batchPerMinutePerRealm: number;
}

export const DEFAULT_LIMITS: Limits = { requestsPerMinute: 500, inFlight: 10, batchPerMinute: 40, batchPerMinutePerRealm: 120 };

export type Admission = { ok: true; release: () => void } | { ok: false; reason: string };

export interface RateLimiter {
  admit(input: { realmId: string; clientId: string; batch: boolean }): Admission;
  configure(limits: Partial<Limits> | false): void;
  limits(): Limits | false;
  reset(): void;
}

const WINDOW_MS = 60_000;

interface Window {
  count(now: number): number;
  add(now: number): void;
}

/** Timestamps within the last minute; old ones are dropped lazily. */
const createWindow = (): Window => {
  let times: number[] = [];
  let head = 0;
  return {
    count(now) {
      while (head < times.length && times[head]! <= now - WINDOW_MS) head++;
      if (head > 1024 && head * 2 > times.length) {
        times = times.slice(head);
        head = 0;
      }
      return times.length - head;
    },
    add(now) {
      times.push(now);
    },
  };
};

export const createRateLimiter = (clock: SandboxClock, initial: Partial<Limits> | false = {}): RateLimiter => {
  let limits: Limits | false = initial === false ? false : { ...DEFAULT_LIMITS, ...initial };
  let perRealm = new Map<string, Window>();
  let batchPerApp = new Map<string, Window>();
  let batchPerRealm = new Map<string, Window>();
  let inFlight = new Map<string, number>();

  const windowOf = (m: Map<string, Window>, key: string) => {
    let w = m.get(key);
    if (!w) {
      w = createWindow();
      m.set(key, w);
    }
    return w;
  };

  return {
    admit({ realmId, clientId, batch }) {
      if (limits === false) return { ok: true, release: () => {} };
      const now = clock.now().getTime();
      const appKey = `${realmId}|${clientId}`;
      const flying = inFlight.get(appKey) ?? 0;
      if (flying >= limits.inFlight) return { ok: false, reason: `more than ${limits.inFlight} requests in flight for realm ${realmId} and app ${clientId}` };
      const realmWindow = windowOf(perRealm, realmId);
      if (realmWindow.count(now) >= limits.requestsPerMinute) return { ok: false, reason: `more than ${limits.requestsPerMinute} requests a minute for realm ${realmId}` };
      if (batch) {
        const appBatch = windowOf(batchPerApp, appKey);
        const realmBatch = windowOf(batchPerRealm, realmId);
        if (appBatch.count(now) >= limits.batchPerMinute) return { ok: false, reason: `more than ${limits.batchPerMinute} batch requests a minute for realm ${realmId} and app ${clientId}` };
        if (realmBatch.count(now) >= limits.batchPerMinutePerRealm) return { ok: false, reason: `more than ${limits.batchPerMinutePerRealm} batch requests a minute for realm ${realmId}` };
        appBatch.add(now);
        realmBatch.add(now);
      }
      realmWindow.add(now);
      inFlight.set(appKey, flying + 1);
      let released = false;
      return {
        ok: true,
        release: () => {
          if (released) return;
          released = true;
          inFlight.set(appKey, Math.max(0, (inFlight.get(appKey) ?? 1) - 1));
        },
      };
    },
    configure(next) {
      limits = next === false ? false : { ...(limits === false ? DEFAULT_LIMITS : limits), ...next };
    },
    limits: () => (limits === false ? false : { ...limits }),
    reset() {
      perRealm = new Map();
      batchPerApp = new Map();
      batchPerRealm = new Map();
      inFlight = new Map();
    },
  };
};
