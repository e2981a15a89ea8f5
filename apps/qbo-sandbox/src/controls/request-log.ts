// What the sandbox answered, request by request, for tests to assert on (no bodies, no tokens).

export interface RequestLogEntry {
  seq: number;
  at: string;
  method: string;
  path: string;
  query: Record<string, unknown>;
  realmId?: string;
  clientId?: string;
  entity?: string;
  operation?: string;
  requestId?: string;
  replayed?: boolean;
  status: number;
  faultCode?: string;
  intuitTid: string;
  durationMs: number;
  /** Fault rules that fired. */
  injected?: string[];
  dropped?: boolean;
}

export interface RequestLog {
  append(entry: Omit<RequestLogEntry, 'seq'>): void;
  entries(filter?: { realmId?: string; since?: number; limit?: number }): RequestLogEntry[];
  clear(): void;
}

export const createRequestLog = (capacity = 20_000): RequestLog => {
  let entries: RequestLogEntry[] = [];
  let seq = 0;
  return {
    append(entry) {
      entries.push({ seq: ++seq, ...entry });
      if (entries.length > capacity) entries = entries.slice(-Math.floor(capacity * 0.9));
    },
    entries(filter = {}) {
      let out = entries;
      if (filter.realmId) out = out.filter((e) => e.realmId === filter.realmId);
      if (filter.since !== undefined) out = out.filter((e) => e.seq > filter.since!);
      if (filter.limit !== undefined) out = out.slice(-filter.limit);
      return out.map((e) => ({ ...e }));
    },
    clear() {
      entries = [];
    },
  };
};
