// GET /v1/openapi.json: the OpenAPI document, public (it holds no data), built once on the first request.

import { createRequire } from 'node:module';
import { Router } from 'express';
import { type OpenApiDocument, createOpenApiDocument } from './openapi-document.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

export const openApiRoute = (): Router => {
  const router = Router();
  let document: OpenApiDocument | null = null;
  router.get('/v1/openapi.json', (_req, res) => {
    document ??= createOpenApiDocument(version);
    res.setHeader('cache-control', 'public, max-age=300');
    res.json(document);
  });
  return router;
};
