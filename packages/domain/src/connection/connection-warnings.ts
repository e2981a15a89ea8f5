// Warnings an admin must see before a connection dies on its own: Intuit's 5-year hard expiry coming
// close, the 100-day refresh window running out, or refreshes that keep failing.

import { REFRESH_FAILURES_BEFORE_WARNING } from './connection-decider.js';

export const HARD_EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;

export type ConnectionWarningCode = 'refresh_token_hard_expiry_soon' | 'refresh_token_expiry_soon' | 'refresh_failing' | 'reconnect_required';

export interface ConnectionWarning {
  readonly code: ConnectionWarningCode;
  readonly message: string;
}

export interface WarningInput {
  readonly connected: boolean;
  readonly health: string | null;
  readonly refreshTokenExpiresAt: string | null;
  readonly refreshTokenHardExpiresAt: string | null;
  readonly consecutiveRefreshFailures: number;
}

const daysLeft = (iso: string, now: Date): number => Math.floor((new Date(iso).getTime() - now.getTime()) / DAY_MS);

export const connectionWarnings = (input: WarningInput, now: Date): ConnectionWarning[] => {
  if (!input.connected) return [];
  const warnings: ConnectionWarning[] = [];
  if (input.health === 'down') {
    warnings.push({ code: 'reconnect_required', message: 'QuickBooks no longer accepts this connection; reconnect the company' });
  }
  if (input.refreshTokenHardExpiresAt !== null) {
    const days = daysLeft(input.refreshTokenHardExpiresAt, now);
    if (days <= HARD_EXPIRY_WARNING_DAYS) {
      warnings.push({
        code: 'refresh_token_hard_expiry_soon',
        message: `Intuit's authorization for this company ends in ${Math.max(days, 0)} days (${input.refreshTokenHardExpiresAt}); reconnect before then`,
      });
    }
  }
  if (input.refreshTokenExpiresAt !== null) {
    const days = daysLeft(input.refreshTokenExpiresAt, now);
    if (days <= HARD_EXPIRY_WARNING_DAYS) {
      warnings.push({
        code: 'refresh_token_expiry_soon',
        message: `the refresh token expires in ${Math.max(days, 0)} days unless a refresh succeeds`,
      });
    }
  }
  if (input.consecutiveRefreshFailures >= REFRESH_FAILURES_BEFORE_WARNING) {
    warnings.push({ code: 'refresh_failing', message: `token refresh failed ${input.consecutiveRefreshFailures} times in a row` });
  }
  return warnings;
};
