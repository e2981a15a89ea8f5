// Use case: a pull run. Incremental from the type's cursor (kept in the log), or an import of everything when
// there is none or the scope is `all`; page by page, never a whole result set. After a page, records that the
// page's records change in QBO (a payment changes its invoices' balance) are read again. After an import, the
// linked records QBO did not return are looked up by id, and those QBO no longer holds are marked deleted, as
// CDC would have said.

import {
  type RecordState,
  type RecordType,
  type RemoteChange,
  TYPE_TOUCHES,
  isRecorded,
  pullCursorDecider,
  pullCursorStreamName,
  recordReferences,
} from '@qbo-sync/domain';
import { loadState } from '../../shared/handle-command.js';
import { type RunResult, settingsReader } from '../push/run-push.js';
import type { SyncDeps } from '../sync-deps.js';
import type { SyncRun } from '../sync-run.js';
import { type PullContext, pullPage } from './pull-page.js';

const RECONCILE_PAGE = 500;

/** Records of other types that changed in QBO along with these (a payment's invoices), read and pulled again. */
const refreshTouched = async (deps: SyncDeps, ctxOf: (type: RecordType) => PullContext, run: SyncRun, type: RecordType, changed: readonly { state: RecordState }[]): Promise<SyncRun> => {
  const { tenantId } = run.request;
  for (const touched of TYPE_TOUCHES[type]) {
    const localIds = [...new Set(changed.flatMap(({ state }) => (state.record === null ? [] : recordReferences(type, state.record).filter((ref) => ref.type === touched).map((ref) => ref.localId))))];
    if (localIds.length === 0) continue;
    const qboIds = [...(await deps.directory.qboIdsOf(tenantId, touched, localIds)).values()];
    if (qboIds.length === 0) continue;
    const refs = (refType: RecordType, ids: readonly string[]) => deps.directory.localIdsOf(tenantId, refType, ids);
    const remotes = await deps.qbo.readByIds(tenantId, touched, qboIds, refs);
    run = (await pullPage(ctxOf(touched), run, touched, remotes.map((remote): RemoteChange => ({ kind: 'changed', remote })), { revisit: true })).run;
  }
  return run;
};

/** After an import: linked records QBO did not return are looked up; those it no longer holds were deleted. */
const reconcileDeletions = async (deps: SyncDeps, ctx: PullContext, run: SyncRun, type: RecordType): Promise<SyncRun> => {
  const { tenantId } = run.request;
  const refs = (refType: RecordType, ids: readonly string[]) => deps.directory.localIdsOf(tenantId, refType, ids);
  const at = deps.now().toISOString();
  for (let after: string | null = null; ; ) {
    const linked = await deps.directory.linked(tenantId, type, { after, limit: RECONCILE_PAGE });
    if (linked.length === 0) break;
    const unseen = linked.filter((link) => !isRecorded(run.state, type, link.localId));
    if (unseen.length > 0) {
      const still = new Set((await deps.qbo.readByIds(tenantId, type, unseen.map((link) => link.qboId), refs)).map((remote) => remote.qboId));
      const gone = unseen.filter((link) => !still.has(link.qboId)).map((link): RemoteChange => ({ kind: 'deleted', qboId: link.qboId, remoteUpdatedAt: at }));
      if (gone.length > 0) run = (await pullPage(ctx, run, type, gone)).run;
    }
    after = (linked[linked.length - 1] as { localId: string }).localId;
    if (linked.length < RECONCILE_PAGE) break;
  }
  return run;
};

export const runPull = async (deps: SyncDeps, start: SyncRun): Promise<RunResult> => {
  const { tenantId, recordType, scope, dryRun } = start.request;
  const settings = await settingsReader(deps, tenantId);
  const plan: NonNullable<PullContext['plan']> | null = dryRun ? [] : null;
  const ctxOf = (type: RecordType): PullContext => ({ deps, policy: settings(type).conflictPolicy, plan });
  const refs = (type: RecordType, qboIds: readonly string[]) => deps.directory.localIdsOf(tenantId, type, qboIds);
  const cursor = scope.kind === 'all' ? null : (await loadState(deps.eventStore, pullCursorStreamName(tenantId, recordType), pullCursorDecider)).state.cursor;
  const pages = cursor === null ? deps.qbo.importPages(tenantId, recordType, refs) : deps.qbo.changePages(tenantId, recordType, cursor, refs);
  let run = start;
  let next: string;
  for (;;) {
    const step = await pages.next();
    if (step.done === true) {
      next = step.value;
      break;
    }
    const page = await pullPage(ctxOf(recordType), run, recordType, step.value);
    run = page.run;
    if (!dryRun && page.changed.length > 0) run = await refreshTouched(deps, ctxOf, run, recordType, page.changed);
  }
  if (cursor === null && !dryRun) run = await reconcileDeletions(deps, ctxOf(recordType), run, recordType);
  deps.logger.info({ syncId: run.request.syncId, counts: run.state.counts, cursor: next }, 'pull finished');
  return { run, cursor: dryRun ? null : next, plan: plan === null ? null : { items: plan } };
};
