// Use case: a push run. Candidates come a page at a time from the write side's record directory (every
// record of the type, or only those with something for QBO, or the ids the run names); each page is pushed
// by `pushRecords`. A dry run plans every page the same way and writes nothing but its own run stream.

import { type RecordType, type SyncSettings, settingsDecider, settingsStreamName, syncSettingsOf } from '@qbo-sync/domain';
import { foldRead } from '../../shared/handle-command.js';
import type { SyncDeps } from '../sync-deps.js';
import type { SyncRun } from '../sync-run.js';
import { type PushContext, type PushPlanView, pushRecords } from './push-records.js';

export interface RunResult {
  readonly run: SyncRun;
  readonly cursor: string | null;
  readonly plan: { readonly items: readonly unknown[] } | null;
}

/** The tenant's settings per type, read once from the settings stream. */
export const settingsReader = async (deps: Pick<SyncDeps, 'eventStore'>, tenantId: string): Promise<(type: RecordType) => SyncSettings> => {
  const state = foldRead(settingsDecider, await deps.eventStore.readStream(settingsStreamName(tenantId)));
  return (type) => syncSettingsOf(state, type);
};

export const runPush = async (deps: SyncDeps, start: SyncRun): Promise<RunResult> => {
  const { tenantId, recordType, scope } = start.request;
  const settings = await settingsReader(deps, tenantId);
  const plan: PushPlanView[] | null = start.request.dryRun ? [] : null;
  const ctx: PushContext = { deps, policyOf: (type) => settings(type).conflictPolicy, plan };
  const pageSize = deps.pushPageSize ?? 300;
  let run = start;
  if (scope.kind === 'ids') {
    for (let offset = 0; offset < scope.localIds.length; offset += pageSize) run = await pushRecords(ctx, run, recordType, scope.localIds.slice(offset, offset + pageSize));
  } else {
    // Keyset paging by local id: what a page changes never moves the next page.
    for (let after: string | null = null; ; ) {
      const ids = await deps.directory.localIds(tenantId, recordType, { after, limit: pageSize, needsPush: scope.kind === 'changed' });
      if (ids.length === 0) break;
      run = await pushRecords(ctx, run, recordType, ids);
      after = ids[ids.length - 1] as string;
      if (ids.length < pageSize) break;
    }
  }
  deps.logger.info({ syncId: run.request.syncId, counts: run.state.counts }, 'push finished');
  return { run, cursor: null, plan: plan === null ? null : { items: plan } };
};
