// What the write side's record directory keeps of one record, derived from its folded state: the QBO record
// it holds, whether it has something for QBO, and (while unlinked) the keys its matching rules compare. Both
// directory adapters (Postgres, written in the same transaction as the append; in memory) call this, so the
// directory can always be rebuilt from the log and cannot disagree with the decider.

import { MATCH_RULES, type MatchRuleName } from '../sync/match-rules.js';
import { type RecordState, needsPush } from './record-decider.js';
import type { RemoteStatus } from './record-events.js';
import type { RecordType } from './record-type.js';

export interface RecordDirectoryEntry {
  readonly qboId: string | null;
  readonly exists: boolean;
  readonly deleted: boolean;
  readonly needsPush: boolean;
  /** Where the QBO side stands (null while unlinked): a record QBO deleted is not looked for again. */
  readonly remoteStatus: RemoteStatus | null;
  /** An unlinked live record's match keys, one per rule that has a value; empty once linked or deleted. */
  readonly matchKeys: readonly { readonly rule: MatchRuleName; readonly key: string }[];
}

export const recordDirectoryEntry = (type: RecordType, state: RecordState): RecordDirectoryEntry => ({
  qboId: state.link?.qboId ?? null,
  exists: state.exists,
  deleted: state.deleted,
  needsPush: needsPush(state),
  remoteStatus: state.link === null ? null : state.remoteStatus,
  matchKeys:
    state.link !== null || state.deleted || state.record === null
      ? []
      : MATCH_RULES[type].flatMap((rule) => {
          const key = rule.key((state.record as Record<string, unknown>)[rule.field]);
          return key === undefined ? [] : [{ rule: rule.name, key }];
        }),
});
