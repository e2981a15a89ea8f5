// Warnings: hard expiry within 30 days, refresh window running out, refreshes failing, reconnect needed.

import { describe, expect, it } from 'vitest';
import { connectionWarnings, tenantIdSchema, realmIdSchema } from '../../src/index.js';

const now = new Date('2026-01-01T00:00:00.000Z');
const base = { connected: true, health: 'healthy', refreshTokenExpiresAt: '2026-04-01T00:00:00.000Z', refreshTokenHardExpiresAt: '2030-01-01T00:00:00.000Z', consecutiveRefreshFailures: 0 };

describe('connection warnings', () => {
  it('raises none for a healthy connection far from every expiry', () => {
    expect(connectionWarnings(base, now)).toEqual([]);
  });

  it('warns when the hard expiry is within 30 days, not at 31', () => {
    expect(connectionWarnings({ ...base, refreshTokenHardExpiresAt: '2026-01-31T00:00:00.000Z' }, now).map((w) => w.code)).toEqual(['refresh_token_hard_expiry_soon']);
    expect(connectionWarnings({ ...base, refreshTokenHardExpiresAt: '2026-02-01T00:00:01.000Z' }, now)).toEqual([]);
  });

  it('warns when refresh keeps failing and when the connection is down', () => {
    const codes = connectionWarnings({ ...base, health: 'down', consecutiveRefreshFailures: 3 }, now).map((w) => w.code);
    expect(codes).toEqual(['reconnect_required', 'refresh_failing']);
    expect(connectionWarnings({ ...base, consecutiveRefreshFailures: 2 }, now)).toEqual([]);
  });

  it('raises nothing for a tenant that is not connected', () => {
    expect(connectionWarnings({ ...base, connected: false, health: 'down' }, now)).toEqual([]);
  });
});

describe('tenant and realm ids', () => {
  it('accept well-formed ids and name the rule when they reject', () => {
    expect(tenantIdSchema.parse('acme_co-1')).toBe('acme_co-1');
    expect(tenantIdSchema.safeParse('Acme.Co').error?.issues[0]?.message).toMatch(/lower-case/);
    expect(realmIdSchema.parse('9341453050071201')).toBe('9341453050071201');
    expect(realmIdSchema.safeParse('12a').success).toBe(false);
  });
});
