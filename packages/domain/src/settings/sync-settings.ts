// A tenant's sync settings, on `settings-{tenant}`: per record type, the mode (manual, scheduled, real-time),
// its schedule and the conflict policy a run applies when both sides changed a record. The run reads them by
// folding this stream (never a read model), and a change that changes nothing appends nothing.

import { streamName } from '../event-store/stream-name.js';
import type { ConflictPolicy } from '../records/record-events.js';
import type { RecordType } from '../records/record-type.js';

export const SETTINGS_CATEGORY = 'settings';
export const settingsStreamName = (tenantId: string): string => streamName(SETTINGS_CATEGORY, tenantId);

export type SyncMode = 'manual' | 'scheduled' | 'realtime';

export interface SyncSettings {
  readonly mode: SyncMode;
  readonly schedule: string | null;
  readonly conflictPolicy: ConflictPolicy;
}

/** What a type that was never configured runs with: by hand, and conflicts held for a person. */
export const DEFAULT_SYNC_SETTINGS: SyncSettings = { mode: 'manual', schedule: null, conflictPolicy: 'review' };

export type SyncSettingsChanged = {
  readonly type: 'SyncSettingsChanged';
  readonly data: SyncSettings & { readonly recordType: RecordType; readonly changedBy: string; readonly at: string };
};

export type SettingsEvent = SyncSettingsChanged;

export type ChangeSyncSettings = SyncSettings & {
  readonly type: 'ChangeSyncSettings';
  readonly recordType: RecordType;
  readonly changedBy: string;
  readonly at: string;
};

export type SettingsCommand = ChangeSyncSettings;

export interface SettingsState {
  readonly byType: Partial<Readonly<Record<RecordType, SyncSettings>>>;
}

export const initialSettingsState = (): SettingsState => ({ byType: {} });

export const syncSettingsOf = (state: SettingsState, type: RecordType): SyncSettings => state.byType[type] ?? DEFAULT_SYNC_SETTINGS;

const same = (a: SyncSettings, b: SyncSettings): boolean => a.mode === b.mode && a.schedule === b.schedule && a.conflictPolicy === b.conflictPolicy;

export const decideSettings = (command: SettingsCommand, state: SettingsState): SettingsEvent[] => {
  const { type: _type, ...data } = command;
  const current = state.byType[command.recordType];
  if (current !== undefined && same(current, command)) return [];
  return [{ type: 'SyncSettingsChanged', data }];
};

export const evolveSettings = (state: SettingsState, event: { readonly type: string; readonly data: unknown }): SettingsState => {
  const known = event as SettingsEvent;
  if (known.type !== 'SyncSettingsChanged') return state;
  const { mode, schedule, conflictPolicy, recordType } = known.data;
  return { byType: { ...state.byType, [recordType]: { mode, schedule, conflictPolicy } } };
};

export const settingsDecider = { decide: decideSettings, evolve: evolveSettings, initialState: initialSettingsState };
