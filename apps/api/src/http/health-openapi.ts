// The operational routes in the OpenAPI document: liveness, readiness, the metrics scrape and the document
// itself.

import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { json, problems } from '../openapi/openapi-support.js';

export const describeHealthRoutes = (registry: OpenAPIRegistry): void => {
  const tags = ['Operations'];
  registry.registerPath({ method: 'get', path: '/healthz', tags, summary: 'Liveness: the process answers', security: [], responses: { 200: json(z.object({ status: z.literal('ok') }), 'Alive') } });
  registry.registerPath({
    method: 'get',
    path: '/readyz',
    tags,
    summary: 'Readiness: the database answers and its migrations are applied',
    security: [],
    responses: { 200: json(z.object({ status: z.literal('ready') }), 'Ready'), ...problems(503) },
  });
  registry.registerComponent('securitySchemes', 'metricsToken', { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN' });
  registry.registerPath({
    method: 'get',
    path: '/metrics',
    tags,
    summary: 'The Prometheus scrape: with METRICS_TOKEN, or on METRICS_PORT instead of here',
    security: [{ metricsToken: [] }],
    responses: { 200: { description: 'Prometheus text format', content: { 'text/plain': { schema: z.string() } } }, ...problems(401, 404) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/openapi.json',
    tags,
    summary: 'This document (OpenAPI 3.1)',
    security: [],
    responses: { 200: { description: 'The OpenAPI document', content: { 'application/json': { schema: z.looseObject({ openapi: z.string() }) } } } },
  });
};
