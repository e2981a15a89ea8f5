// A run in progress, as the worker holds it between pages: the request, the state folded from the run's own
// stream, and the revision that state was read at. Each page is recorded with the run's stream at that
// revision, so a second worker running the same run (a job delivered twice) loses the race instead of
// writing beside it.

import { type SyncRequested, type SyncRunState, syncStreamName } from '@qbo-sync/domain';
import { type CommandContext, SYNC_WORKER } from '../shared/command-context.js';

export interface SyncRun {
  readonly request: SyncRequested['data'];
  readonly state: SyncRunState;
  /** The run stream's revision the state was folded at. */
  readonly revision: bigint;
  readonly streamName: string;
  readonly context: CommandContext;
}

export const syncRunOf = (request: SyncRequested['data'], state: SyncRunState, revision: bigint): SyncRun => ({
  request,
  state,
  revision,
  streamName: syncStreamName(request.syncId),
  context: { correlationId: request.syncId, causationId: request.syncId, actor: SYNC_WORKER },
});

/** Another worker recorded a page of this run first: this one stops and leaves the run to it. */
export class RunTakenOverError extends Error {
  override readonly name = 'RunTakenOverError';
  constructor(readonly syncId: string) {
    super(`sync ${syncId} is being run by another worker`);
  }
}
