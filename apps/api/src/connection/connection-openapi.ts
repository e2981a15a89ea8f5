// The QuickBooks connection routes in the OpenAPI document: begin the OAuth connect, Intuit's callback (a
// page for a person), the connection's status and disconnect.

import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { AUTHENTICATED, SESSION_ONLY, json, problems, tenantParam } from '../openapi/openapi-support.js';
import { CALLBACK_PATH, authorizeQuery } from './connection-routes.js';

const status = z
  .looseObject({
    tenantId: z.string(),
    state: z.string().meta({ description: 'not_connected, connected or disconnected' }),
    health: z.string().nullable().meta({ description: 'healthy, degraded or down' }),
    realmId: z.string().nullable(),
    companyName: z.string().nullable(),
  })
  .meta({ id: 'ConnectionStatus' });

export const describeConnectionRoutes = (registry: OpenAPIRegistry): void => {
  const tags = ['Connection'];
  const tenant = z.object({ tenant: tenantParam });
  registry.registerPath({
    method: 'get',
    path: '/v1/tenants/{tenant}/connection/authorize',
    tags,
    summary: "Start connecting QuickBooks: redirects the person's browser to Intuit (admins)",
    security: SESSION_ONLY,
    request: { params: tenant, query: authorizeQuery },
    responses: { 302: { description: "To Intuit's consent page" }, ...problems(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: 'get',
    path: CALLBACK_PATH,
    tags,
    summary: "Intuit's OAuth callback: answers the person with a page saying whether the connection was made",
    description: 'Register this URL as the redirect URI of the Intuit app. Its query (code, state, realmId or error) comes from Intuit.',
    security: [],
    request: { query: z.object({ code: z.string().optional(), state: z.string().optional(), realmId: z.string().optional(), error: z.string().optional() }) },
    responses: { 200: { description: 'Connected', content: { 'text/html': { schema: z.string() } } }, 400: { description: 'Not connected, and why', content: { 'text/html': { schema: z.string() } } } },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/tenants/{tenant}/connection',
    tags,
    summary: "The connection's state, company, health, token expiry and last sync",
    security: AUTHENTICATED,
    request: { params: tenant },
    responses: { 200: json(status, 'The connection'), ...problems(401, 403, 404) },
  });
  registry.registerPath({
    method: 'delete',
    path: '/v1/tenants/{tenant}/connection',
    tags,
    summary: 'Disconnect: revokes the tokens at Intuit and keeps the local data (admins)',
    security: SESSION_ONLY,
    request: { params: tenant },
    responses: { 200: json(z.looseObject({ state: z.literal('disconnected') }), 'Disconnected'), ...problems(401, 403, 404, 409) },
  });
};
