// Intuit's two webhook body formats, built from the sandbox's change records: the classic
// `eventNotifications` object (grouped by realm) and the CloudEvents array (one event per change).
import { createHash, createHmac } from 'node:crypto';
import type { ChangeOperation, EntityChange } from './webhook-types.js';

export interface PendingChange {
  change: EntityChange;
  /** CloudEvents `id`: fixed at notify time so retries and duplicates can be deduplicated by it. */
  eventId: string;
}

export const classicPayload = (changes: readonly PendingChange[]) => {
  const byRealm = new Map<string, Array<Record<string, string>>>();
  for (const { change } of changes) {
    const entities = byRealm.get(change.realmId) ?? [];
    entities.push({
      name: change.entityName,
      id: change.id,
      operation: change.operation,
      lastUpdated: change.lastUpdated.toISOString(),
      ...(change.deletedId !== undefined ? { deletedId: change.deletedId } : {}),
    });
    byRealm.set(change.realmId, entities);
  }
  return {
    eventNotifications: [...byRealm].map(([realmId, entities]) => ({ realmId, dataChangeEvent: { entities } })),
  };
};

const PAST_TENSE: Record<ChangeOperation, string> = {
  Create: 'created',
  Update: 'updated',
  Delete: 'deleted',
  Void: 'voided',
  Merge: 'merged',
  Emailed: 'emailed',
};

// Intuit's `source` is an opaque per-app string; the sandbox has one app-independent value.
const SOURCE = `intuit.${createHash('sha256').update('qbo-sandbox webhooks').digest('base64')}`;

export const cloudEventsPayload = (changes: readonly PendingChange[]) =>
  changes.map(({ change, eventId }) => ({
    specversion: '1.0',
    id: eventId,
    source: SOURCE,
    type: `qbo.${change.entityName.toLowerCase()}.${PAST_TENSE[change.operation]}.v1`,
    datacontenttype: 'application/json',
    time: change.lastUpdated.toISOString(),
    intuitentityid: change.id,
    intuitaccountid: change.realmId,
    data: change.deletedId !== undefined ? { deletedid: change.deletedId } : {},
  }));

/** `intuit-signature`: base64 HMAC-SHA256 of the exact body bytes, keyed with the verifier token. */
export const signWebhookBody = (body: string, verifierToken: string) =>
  createHmac('sha256', verifierToken).update(body, 'utf8').digest('base64');
