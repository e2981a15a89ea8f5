// The event contract as JSON Schema (draft 2020-12), generated from the zod schemas in event-schemas.ts:
// the envelope, and for each event type its current schemaVersion and the schema of its `data`. Served at
// GET /v1/events/schema; test/event-store/event-schemas.test.ts keeps every published version on record.

import { z } from 'zod';
import { EVENT_DATA_SCHEMAS, PUBLISHED_EVENT_TYPES, type PublishedEventType, eventEnvelopeSchema } from './event-schemas.js';
import { schemaVersionOf } from './schema-versions.js';

export interface PublishedEventSchemas {
  readonly envelope: Record<string, unknown>;
  readonly events: Readonly<Record<PublishedEventType, { readonly schemaVersion: number; readonly data: Record<string, unknown> }>>;
}

const jsonSchemaOf = (schema: z.ZodType): Record<string, unknown> => z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;

export const publishedEventSchemas = (): PublishedEventSchemas => ({
  envelope: jsonSchemaOf(eventEnvelopeSchema),
  events: Object.fromEntries(PUBLISHED_EVENT_TYPES.map((type) => [type, { schemaVersion: schemaVersionOf(type), data: jsonSchemaOf(EVENT_DATA_SCHEMAS[type]) }])) as PublishedEventSchemas['events'],
});
