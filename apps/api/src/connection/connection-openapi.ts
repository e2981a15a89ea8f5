// The QuickBooks connection routes in the OpenAPI document: begin the OAuth connect, Intuit's callback and its
// Disconnect and Reconnect landing pages (pages for a person), the connection's status and disconnect.

import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { AUTHENTICATED, SESSION_ONLY, json, problems, tenantParam } from '../openapi/openapi-support.js';
import { CALLBACK_PATH, DISCONNECTED_PATH, RECONNECT_PATH, authorizeQuery, landingQuery } from './connection-routes.js';

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
    responses: {
      200: { description: 'Connected; or, for the same callback again (a reload, the back button, a double click), already connected: the code is never sent to Intuit twice', content: { 'text/html': { schema: z.string() } } },
      400: { description: 'Not connected, and why', content: { 'text/html': { schema: z.string() } } },
    },
  });
  const landing = (path: string, summary: string, portalSetting: string) =>
    registry.registerPath({
      method: 'get',
      path,
      tags,
      summary,
      description: `Register this URL as the Intuit app's ${portalSetting}. Public and unsigned, so it acts on nothing by itself: with a realmId, the grants of the tenants holding that company are checked at Intuit (a refresh, at most once a minute per connection), and only a grant Intuit refuses marks the connection down. The page names no tenant and is the same whatever the query.`,
      security: [],
      request: { query: landingQuery },
      responses: { 200: { description: 'A page saying how to reconnect, linking the admin app', content: { 'text/html': { schema: z.string() } } }, ...problems(400) },
    });
  landing(DISCONNECTED_PATH, "Intuit's Disconnect URL: where Intuit sends the person after they disconnect the app in QuickBooks", 'Disconnect URL');
  landing(RECONNECT_PATH, "Intuit's Reconnect URL: where Intuit sends the person to connect the app again", 'Reconnect URL');
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
