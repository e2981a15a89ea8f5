// Where the next incremental pull of a tenant's record type starts, on `pullcursor-{tenant}.{type}`: QBO's own
// time of the last complete answer, moved in the same append as the run's SyncCompleted. The pull reads it from
// the log, so it never waits on (or trusts) a read model.

import { streamName } from '../event-store/stream-name.js';
import type { RecordType } from '../records/record-type.js';

export const PULL_CURSOR_CATEGORY = 'pullcursor';
export const pullCursorStreamName = (tenantId: string, type: RecordType): string => streamName(PULL_CURSOR_CATEGORY, `${tenantId}.${type}`);

export type PullCursorMoved = {
  readonly type: 'PullCursorMoved';
  readonly data: { readonly recordType: RecordType; readonly cursor: string; readonly syncId: string; readonly at: string };
};

export type MovePullCursor = { readonly type: 'MovePullCursor'; readonly recordType: RecordType; readonly cursor: string; readonly syncId: string; readonly at: string };

export interface PullCursorState {
  readonly cursor: string | null;
}

export const decidePullCursor = (command: MovePullCursor, state: PullCursorState): PullCursorMoved[] => {
  const { type: _type, ...data } = command;
  return state.cursor === command.cursor ? [] : [{ type: 'PullCursorMoved', data }];
};

export const evolvePullCursor = (state: PullCursorState, event: { readonly type: string; readonly data: unknown }): PullCursorState =>
  event.type === 'PullCursorMoved' ? { cursor: (event as PullCursorMoved).data.cursor } : state;

export const pullCursorDecider = { decide: decidePullCursor, evolve: evolvePullCursor, initialState: (): PullCursorState => ({ cursor: null }) };
