// The rule `pnpm start` restarts crashed services by: waits that double with crashes in a row, a fresh start
// once a service stayed up past the window, and a crash loop (too many crashes in the window) that stops all.

import { describe, expect, it } from 'vitest';
import { DEFAULT_RESTART_POLICY, decideRestart } from '../scripts/restart-policy.js';

const policy = DEFAULT_RESTART_POLICY;
const second = 1_000;

describe('restart policy of pnpm start', () => {
  it('restarts after 1 s, then waits twice as long for each crash in a row, up to 30 s', () => {
    const crashesInARow = (count: number) => Array.from({ length: count }, (_, i) => i * second);
    const lenient = { ...policy, maxCrashes: 10 };
    expect([1, 2, 3, 4, 5].map((count) => decideRestart(lenient, crashesInARow(count), 10 * second))).toEqual(
      [1, 2, 4, 8, 16].map((seconds, i) => ({ kind: 'restart', delayMs: seconds * second, crashesInWindow: i + 1 })),
    );
    expect(decideRestart({ ...policy, maxCrashes: 10 }, Array.from({ length: 7 }, (_, i) => i * second), 10 * second)).toEqual({ kind: 'restart', delayMs: 30 * second, crashesInWindow: 7 });
  });

  it('starts again from 1 s for a service that stayed up longer than the window', () => {
    expect(decideRestart(policy, [0, 1 * second, 2 * second, 500 * second], 500 * second)).toEqual({ kind: 'restart', delayMs: 1 * second, crashesInWindow: 1 });
  });

  it('gives up on a crash loop: more crashes within the window than allowed', () => {
    const sixInAMinute = Array.from({ length: 6 }, (_, i) => i * 10 * second);
    expect(decideRestart(policy, sixInAMinute, 60 * second)).toEqual({ kind: 'give_up', crashesInWindow: 6 });
    expect(decideRestart(policy, sixInAMinute.slice(1), 60 * second).kind).toBe('restart');
  });
});
