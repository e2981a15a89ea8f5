// Records one page of a run: the events decided on each record's stream (and on the claim streams that guard
// links), together with the run's own page event naming each record's outcome, in ONE multi-stream append. A
// host write landing on a record meanwhile (a lost race) is met by reading the page's streams again and
// deciding again; QBO's answers stay what they were. A store that fails part-way (EventStoreDB appends stream
// by stream) is completed by repeating the very same append: its event ids are deterministic, so the streams
// already written are answered as repeats and nothing is written twice.

import { setTimeout as sleep } from 'node:timers/promises';
import {
  EventStoreUnavailableError,
  type EventStore,
  type ReadStreamResult,
  type RecordOutcome,
  type StreamAppend,
  isWrongExpectedRevision,
  syncDecider,
} from '@qbo-sync/domain';
import { type DomainEvent, type StreamDecision, decideOnStream, foldRead, toStreamAppend } from '../shared/handle-command.js';
import type { SyncDeps } from './sync-deps.js';
import { RunTakenOverError, type SyncRun } from './sync-run.js';

export interface DecidedPage {
  readonly decisions: readonly StreamDecision<DomainEvent, unknown>[];
  readonly outcomes: readonly RecordOutcome[];
}

const MAX_DECISIONS = 5;
const MAX_STORE_RETRIES = 3;

/** The same append again while the store cannot be reached: deterministic ids make the repeat harmless. */
const appendAll = async (eventStore: EventStore, appends: readonly StreamAppend[]): Promise<void> => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await eventStore.appendToStreams(appends);
      return;
    } catch (error) {
      if (!(error instanceof EventStoreUnavailableError) || attempt > MAX_STORE_RETRIES) throw error;
      await sleep(200 * 2 ** attempt);
    }
  }
};

/**
 * The run's stream moved under this worker. Its own notes (a throttle wait) move it too; another worker
 * starting the run is what takes it over: then this one stops.
 */
export const rereadRun = async (deps: Pick<SyncDeps, 'eventStore'>, run: SyncRun): Promise<SyncRun> => {
  const read = await deps.eventStore.readStream(run.streamName);
  const state = foldRead(syncDecider, read);
  if (state.starts !== run.state.starts || read.currentRevision === null) throw new RunTakenOverError(run.request.syncId);
  return { ...run, state, revision: read.currentRevision };
};

const heldRead = (run: SyncRun): ReadStreamResult => ({ streamExists: true, currentRevision: run.revision, events: [] });

export const recordPage = async (
  deps: Pick<SyncDeps, 'eventStore' | 'now'>,
  start: SyncRun,
  streamNames: readonly string[],
  decide: (reads: ReadonlyMap<string, ReadStreamResult>) => DecidedPage,
): Promise<{ readonly run: SyncRun; readonly page: DecidedPage }> => {
  const { tenantId } = start.request;
  let run = start;
  for (let attempt = 1; ; attempt += 1) {
    const reads = streamNames.length === 0 ? new Map<string, ReadStreamResult>() : await deps.eventStore.readStreams([...new Set(streamNames)]);
    const page = decide(reads);
    const runDecision = decideOnStream(syncDecider, run.streamName, heldRead(run), [{ type: 'RecordPage', outcomes: page.outcomes, at: deps.now().toISOString() }], run.state);
    const appends = [...page.decisions, runDecision as StreamDecision<DomainEvent, unknown>]
      .map((decision) => toStreamAppend(tenantId, run.context, decision))
      .filter((append): append is StreamAppend => append !== null);
    if (appends.length === 0) return { run, page };
    try {
      await appendAll(deps.eventStore, appends);
      return { run: { ...run, state: runDecision.state, revision: run.revision + BigInt(runDecision.events.length) }, page };
    } catch (error) {
      if (!isWrongExpectedRevision(error)) throw error;
      if (error.streamName === run.streamName) run = await rereadRun(deps, run);
      if (attempt >= MAX_DECISIONS) throw error;
    }
  }
};

/** A read for a stream the page did not ask for (a bug), as an empty stream would read. */
export const readOf = (reads: ReadonlyMap<string, ReadStreamResult>, streamName: string): ReadStreamResult =>
  reads.get(streamName) ?? { streamExists: false, currentRevision: null, events: [] };
