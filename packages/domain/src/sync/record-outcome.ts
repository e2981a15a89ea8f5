// Which bucket a record lands in, from the events one step of a run appended on its stream. Written once
// here so the run's totals, its page events and the activity view all agree on what happened to a record.

import type { RecordEvent } from '../records/record-events.js';
import type { SyncOutcome } from './sync-events.js';

const PUSHED: Record<string, SyncOutcome> = { create: 'created', update: 'updated', deactivate: 'deactivated', void: 'voided', delete: 'deleted' };

export const outcomeOfEvents = (events: readonly RecordEvent[]): SyncOutcome => {
  const has = (type: RecordEvent['type']) => events.some((event) => event.type === type);
  const last = <T extends RecordEvent['type']>(type: T) => [...events].reverse().find((event) => event.type === type) as Extract<RecordEvent, { type: T }> | undefined;
  if (has('RecordSyncFailed')) return 'failed';
  if (has('RecordMatchAmbiguous')) return 'review';
  const resolved = last('RecordConflictResolved');
  if (has('RecordConflictDetected') && resolved === undefined) return 'review';
  const linked = last('RecordLinked');
  if (linked?.data.via === 'matched') return 'matched';
  if (linked?.data.via === 'pulled') return 'created';
  const pushed = last('RecordPushed');
  if (pushed !== undefined) return PUSHED[pushed.data.operation] ?? 'updated';
  if (has('RemoteRecordDeleted')) return 'remote_deleted';
  if (has('RemoteRecordChanged') || has('RemoteRecordVersionSeen')) return 'pulled';
  if (resolved?.data.resolution === 'local_wins') return 'conflict';
  return 'skipped';
};
