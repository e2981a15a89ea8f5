// The claim on a QBO record: one local record holds it; the same holder claiming again changes nothing;
// another is refused by name; a release lets another claim it.

import { describe, it } from 'vitest';
import { deciderSpecification } from '../../testing/index.js';
import { type QboClaimEvent, QboRecordHeldError, qboClaimDecider } from '../../src/index.js';

const at = '2026-01-01T00:00:00.000Z';
const spec = deciderSpecification(qboClaimDecider);
const claim = (localId: string) => ({ type: 'ClaimQboRecord' as const, recordType: 'customer' as const, qboId: '42', localId, at });
const claimed = (localId: string): QboClaimEvent => ({ type: 'QboRecordClaimed', data: { recordType: 'customer', qboId: '42', localId, at } });

describe('QBO record claims', () => {
  it('claims an unclaimed record', () => spec.given([]).when(claim('a')).then([claimed('a')]));
  it('changes nothing when the holder claims again', () => spec.given([claimed('a')]).when(claim('a')).thenNothing());
  it('refuses another local record, naming the holder', () => spec.given([claimed('a')]).when(claim('b')).thenThrows(QboRecordHeldError));
  it('lets another claim it once released', () => {
    const released: QboClaimEvent = { type: 'QboRecordReleased', data: { recordType: 'customer', qboId: '42', localId: 'a', at } };
    spec.given([claimed('a')]).when({ ...claim('a'), type: 'ReleaseQboRecord' }).then([released]);
    spec.given([claimed('a'), released]).when(claim('b')).then([claimed('b')]);
  });
});
