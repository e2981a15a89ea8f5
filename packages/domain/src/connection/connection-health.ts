// How healthy a connection is, derived from the outcomes of its recent QBO calls: an auth failure that a
// refresh could not cure means down, throttles and server errors mean degraded, a success restores healthy.

export type ConnectionHealth = 'healthy' | 'degraded' | 'down';

export type CallOutcomeKind = 'success' | 'auth_failure' | 'throttle' | 'server_error';

export interface CallOutcome {
  readonly kind: CallOutcomeKind;
  /** ISO-8601 time of the outcome. */
  readonly at: string;
}

export interface DerivedHealth {
  readonly health: ConnectionHealth;
  readonly reason: string;
}

/**
 * The health that the most recent outcomes point to, or null when there are none. The latest outcome
 * decides the level; the run of failures behind it only words the reason, so one success after an outage
 * is enough to say healthy again.
 */
export const deriveHealth = (recent: readonly CallOutcome[]): DerivedHealth | null => {
  const last = recent.at(-1);
  if (last === undefined) return null;
  if (last.kind === 'success') return { health: 'healthy', reason: 'calls succeed' };
  let run = 0;
  for (let index = recent.length - 1; index >= 0 && recent[index]?.kind !== 'success'; index -= 1) run += 1;
  const times = run === 1 ? 'once' : `${run} times in a row`;
  switch (last.kind) {
    case 'auth_failure':
      return { health: 'down', reason: `QuickBooks refused the credentials (${times}); reconnect the company` };
    case 'throttle':
      return { health: 'degraded', reason: `QuickBooks throttled calls (${times})` };
    case 'server_error':
      return { health: 'degraded', reason: `QuickBooks answered with server errors (${times})` };
  }
};
