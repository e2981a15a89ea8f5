// The published event contract: every event type's JSON Schema is kept on record per schemaVersion in
// published-event-schemas.json. A shape that changes under the same schemaVersion fails here (subscribers
// would get data their schema refuses); a new schemaVersion needs an upcaster that brings the old shape up,
// and is put on record by running this file with UPDATE_EVENT_SCHEMAS=1 (older versions stay on record).

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EVENT_DATA_SCHEMAS, PUBLISHED_EVENT_TYPES, SCHEMA_VERSIONS, eventEnvelopeSchema, publishedEventSchemas, upcast } from '../../src/index.js';

const RECORD_FILE = fileURLToPath(new URL('./published-event-schemas.json', import.meta.url));
type OnRecord = { envelope: unknown; events: Record<string, Record<string, unknown>> };
const onRecord = JSON.parse(readFileSync(RECORD_FILE, 'utf8')) as OnRecord;
const published = publishedEventSchemas();

if (process.env.UPDATE_EVENT_SCHEMAS === '1') {
  // Adds new versions only: a version on record is never rewritten, so a changed shape still fails below.
  for (const [type, { schemaVersion, data }] of Object.entries(published.events)) {
    const versions = (onRecord.events[type] ??= {});
    versions[String(schemaVersion)] ??= data;
  }
  onRecord.envelope ??= published.envelope;
  writeFileSync(RECORD_FILE, `${JSON.stringify(onRecord, null, 2)}\n`);
}

describe('the published event schemas', () => {
  it('keep every event type\'s shape under its schemaVersion: a changed shape needs a new version', () => {
    const changed = Object.entries(published.events)
      .filter(([type, { schemaVersion, data }]) => {
        const kept = onRecord.events[type]?.[String(schemaVersion)];
        return kept !== undefined && JSON.stringify(kept) !== JSON.stringify(data);
      })
      .map(([type, { schemaVersion }]) => `${type} v${schemaVersion}`);
    expect(changed, 'these shapes changed without a new schemaVersion: bump it in schema-versions.ts and add an upcaster').toEqual([]);
  });

  it('have every current version on record (UPDATE_EVENT_SCHEMAS=1 adds a new one)', () => {
    const missing = Object.entries(published.events)
      .filter(([type, { schemaVersion }]) => onRecord.events[type]?.[String(schemaVersion)] === undefined)
      .map(([type, { schemaVersion }]) => `${type} v${schemaVersion}`);
    expect(missing, 'not on record: run this test with UPDATE_EVENT_SCHEMAS=1 and commit the file').toEqual([]);
    expect(JSON.stringify(onRecord.envelope)).toBe(JSON.stringify(published.envelope));
  });

  it('come with an upcaster for every version after the first', () => {
    for (const [type, version] of Object.entries(SCHEMA_VERSIONS)) {
      expect(PUBLISHED_EVENT_TYPES, `${type} has a schemaVersion but no published schema`).toContain(type);
      const older = { type, data: {}, metadata: { schemaVersion: version - 1, correlationId: 'c' } };
      expect(upcast(older), `${type} v${version - 1} is not upcast to v${version}`).not.toBe(older);
    }
  });

  it('accept events as the deciders write them and refuse a wrong shape', () => {
    const linked = { recordType: 'customer', localId: 'c-1', qboId: '58', syncToken: '0', via: 'pulled', syncId: null, at: '2026-12-01T00:00:00Z' };
    expect(EVENT_DATA_SCHEMAS.RecordLinked.safeParse(linked).success).toBe(true);
    expect(EVENT_DATA_SCHEMAS.RecordLinked.safeParse({ ...linked, via: 'guessed' }).success).toBe(false);
    const envelope = {
      id: 'e1',
      type: 'RecordLinked',
      data: linked,
      metadata: { tenantId: 'acme', correlationId: 'r1', causationId: null, actor: { type: 'system', id: 'worker' }, schemaVersion: 1 },
      streamName: 'record-acme.customer.c-1',
      streamRevision: '0',
      position: { commit: '812', prepare: '3' },
      recordedAt: '2026-12-01T00:00:00Z',
      occurredAt: '2026-12-01T00:00:00Z',
    };
    expect(eventEnvelopeSchema.safeParse(envelope).success).toBe(true);
  });

  it('never describe a token or secret field', () => {
    const text = JSON.stringify(published).toLowerCase();
    for (const word of ['accesstoken"', 'refreshtoken"', 'secret', 'password']) expect(text).not.toContain(word);
  });
});
