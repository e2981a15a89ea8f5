// Switches tests flip at run time (through /__sandbox/settings).

import type { ThrottleBodyFormat } from '../faults/throttle-fault.js';

export interface SandboxSettings {
  /** Replay a repeated requestid (Intuit's behaviour). Off: every request executes. */
  requestIdReplay: boolean;
  /** 429 bodies: XML like every recorded Intuit throttle, or the JSON Fault envelope. */
  throttleFormat: ThrottleBodyFormat;
}

export const DEFAULT_SETTINGS: SandboxSettings = { requestIdReplay: true, throttleFormat: 'xml' };
