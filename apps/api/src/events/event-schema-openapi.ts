// The event contract's route in the OpenAPI document.

import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { json } from '../openapi/openapi-support.js';

export const describeEventSchemaRoute = (registry: OpenAPIRegistry): void => {
  registry.registerPath({
    method: 'get',
    path: '/v1/events/schema',
    tags: ['Events'],
    summary: "The event contract: each event type's schemaVersion and the JSON Schema of its data, and the envelope",
    description: 'A changed shape gets a new schemaVersion (older events are upcast when read). See docs/events.md.',
    security: [],
    responses: {
      200: json(
        z.object({
          envelope: z.record(z.string(), z.unknown()).meta({ description: 'JSON Schema of the envelope' }),
          events: z.record(z.string(), z.object({ schemaVersion: z.number().int(), data: z.record(z.string(), z.unknown()).meta({ description: 'JSON Schema of data' }) })),
        }),
        'The contract',
      ),
    },
  });
};
