// The claim on a QBO record, on its own stream `qbolink-{tenant}.{type}.{qboId}`: which local record holds it.
// A link is claimed here, in the same append as the RecordLinked it guards, so two workers (or a push and a
// pull) can never link one QBO record to two local records: the second append finds the stream taken.

import { streamName } from '../event-store/stream-name.js';
import type { RecordType } from './record-type.js';

export const QBO_LINK_CATEGORY = 'qbolink';

export const qboLinkStreamName = (tenantId: string, type: RecordType, qboId: string): string =>
  streamName(QBO_LINK_CATEGORY, `${tenantId}.${type}.${qboId}`);

export type QboRecordClaimed = {
  readonly type: 'QboRecordClaimed';
  readonly data: { readonly recordType: RecordType; readonly qboId: string; readonly localId: string; readonly at: string };
};

/** The holder let go (it was unlinked): another local record may claim the QBO record now. */
export type QboRecordReleased = {
  readonly type: 'QboRecordReleased';
  readonly data: { readonly recordType: RecordType; readonly qboId: string; readonly localId: string; readonly at: string };
};

export type QboClaimEvent = QboRecordClaimed | QboRecordReleased;

export type QboClaimCommand =
  | { readonly type: 'ClaimQboRecord'; readonly recordType: RecordType; readonly qboId: string; readonly localId: string; readonly at: string }
  | { readonly type: 'ReleaseQboRecord'; readonly recordType: RecordType; readonly qboId: string; readonly localId: string; readonly at: string };

export interface QboClaimState {
  /** The local record holding the QBO record, or null. */
  readonly holder: string | null;
}

export class QboRecordHeldError extends Error {
  override readonly name = 'QboRecordHeldError';
  constructor(readonly recordType: RecordType, readonly qboId: string, readonly holder: string) {
    super(`QuickBooks ${recordType} ${qboId} is already linked to local record "${holder}"`);
  }
}

export const initialQboClaimState = (): QboClaimState => ({ holder: null });

export const decideQboClaim = (command: QboClaimCommand, state: QboClaimState): QboClaimEvent[] => {
  const { type: _type, ...data } = command;
  switch (command.type) {
    case 'ClaimQboRecord':
      if (state.holder === command.localId) return [];
      if (state.holder !== null) throw new QboRecordHeldError(command.recordType, command.qboId, state.holder);
      return [{ type: 'QboRecordClaimed', data }];
    case 'ReleaseQboRecord':
      return state.holder === command.localId ? [{ type: 'QboRecordReleased', data }] : [];
  }
};

export const evolveQboClaim = (state: QboClaimState, event: { readonly type: string; readonly data: unknown }): QboClaimState => {
  const known = event as QboClaimEvent;
  switch (known.type) {
    case 'QboRecordClaimed':
      return { holder: known.data.localId };
    case 'QboRecordReleased':
      return state.holder === known.data.localId ? { holder: null } : state;
    default:
      return state;
  }
};

export const qboClaimDecider = { decide: decideQboClaim, evolve: evolveQboClaim, initialState: initialQboClaimState };
