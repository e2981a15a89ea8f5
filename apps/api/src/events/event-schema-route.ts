// GET /v1/events/schema: the published event contract, public (it holds no data). For each event type its
// current schemaVersion and the JSON Schema of its data, and the envelope every event comes in: what a
// subscriber of the feed, the stream or a webhook validates against (docs/events.md).

import { publishedEventSchemas } from '@qbo-sync/domain';
import { Router } from 'express';

export const eventSchemaRoute = (): Router => {
  const router = Router();
  const published = publishedEventSchemas();
  router.get('/v1/events/schema', (_req, res) => {
    res.setHeader('cache-control', 'public, max-age=300');
    res.json({ ...published, docs: 'docs/events.md' });
  });
  return router;
};
