// A tenant's sync settings: a change is recorded per record type; the same settings again change nothing;
// a type never configured runs by hand with conflicts held for review.

import { describe, expect, it } from 'vitest';
import { deciderSpecification } from '../../testing/index.js';
import { DEFAULT_SYNC_SETTINGS, type SettingsEvent, settingsDecider, syncSettingsOf } from '../../src/index.js';

const at = '2026-01-01T00:00:00.000Z';
const spec = deciderSpecification(settingsDecider);
const change = (conflictPolicy: 'qbo_wins' | 'local_wins' | 'review') => ({ type: 'ChangeSyncSettings' as const, recordType: 'customer' as const, mode: 'manual' as const, schedule: null, conflictPolicy, changedBy: 'u1', at });
const changed = (conflictPolicy: 'qbo_wins' | 'local_wins' | 'review'): SettingsEvent => ({ type: 'SyncSettingsChanged', data: { recordType: 'customer', mode: 'manual', schedule: null, conflictPolicy, changedBy: 'u1', at } });

describe('sync settings', () => {
  it('records a change', () => spec.given([]).when(change('qbo_wins')).then([changed('qbo_wins')]));
  it('changes nothing when the settings are the same', () => spec.given([changed('qbo_wins')]).when(change('qbo_wins')).thenNothing());
  it('gives each type its own settings, and the defaults to a type never set', () => {
    const state = spec.given([changed('local_wins')]).state();
    expect(syncSettingsOf(state, 'customer').conflictPolicy).toBe('local_wins');
    expect(syncSettingsOf(state, 'invoice')).toEqual(DEFAULT_SYNC_SETTINGS);
  });
});
