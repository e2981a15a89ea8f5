// Use case: an admin changes a record type's sync settings (mode, schedule, conflict policy). Settings that
// did not change append nothing. Modes that are not carried out yet are refused here, by name.

import { type EventStore, type RecordType, type SyncSettings, settingsDecider, settingsStreamName, syncSettingsOf } from '@qbo-sync/domain';
import { type CommandContext, actorLabel } from '../shared/command-context.js';
import { foldRead, handleCommand } from '../shared/handle-command.js';

/** What this build carries out; others are refused rather than stored and silently ignored. */
export const SUPPORTED_MODES = ['manual'] as const;

export class UnsupportedSettingError extends Error {
  override readonly name = 'UnsupportedSettingError';
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

export interface ChangeSyncSettingsInput extends SyncSettings {
  readonly tenantId: string;
  readonly recordType: RecordType;
  readonly at: string;
}

export const changeSyncSettings = async (deps: { readonly eventStore: EventStore }, input: ChangeSyncSettingsInput, context: CommandContext): Promise<{ readonly changed: boolean }> => {
  if (!(SUPPORTED_MODES as readonly string[]).includes(input.mode)) {
    throw new UnsupportedSettingError('mode', `"${input.mode}" syncs are not carried out yet; only ${SUPPORTED_MODES.map((m) => `"${m}"`).join(', ')} is available`);
  }
  if (input.schedule !== null && input.mode !== 'scheduled') throw new UnsupportedSettingError('schedule', 'is only allowed with mode "scheduled"');
  const { events } = await handleCommand(
    deps.eventStore,
    settingsStreamName(input.tenantId),
    settingsDecider,
    { type: 'ChangeSyncSettings', recordType: input.recordType, mode: input.mode, schedule: input.schedule, conflictPolicy: input.conflictPolicy, changedBy: actorLabel(context.actor), at: input.at },
    { tenantId: input.tenantId, context },
  );
  return { changed: events.length > 0 };
};

/** The settings of a type as the stream holds them (defaults when never set). */
export const readSyncSettingsFromLog = async (deps: { readonly eventStore: EventStore }, tenantId: string, type: RecordType): Promise<SyncSettings> => {
  const read = await deps.eventStore.readStream(settingsStreamName(tenantId));
  return syncSettingsOf(foldRead(settingsDecider, read), type);
};
