// The access-control routes in the OpenAPI document (sign-in, session, tenants, users, API keys), from the
// schemas they validate with.

import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { AUTHENTICATED, SESSION_ONLY, json, problems, tenantParam } from '../openapi/openapi-support.js';
import { apiKeyBody, apiKeyIdSchema, loginBody, newUserBody, tenantBody, userChangeBody } from './auth-routes.js';

const user = z.looseObject({ id: z.uuid(), email: z.string(), name: z.string(), role: z.string(), tenants: z.array(z.string()) }).meta({ id: 'User' });
const tenant = z.object({ id: z.string(), name: z.string(), createdAt: z.string().nullable() }).meta({ id: 'Tenant' });
const apiKey = z
  .looseObject({ id: z.string(), tenantId: z.string(), name: z.string(), role: z.string(), prefix: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable(), revokedAt: z.string().nullable() })
  .meta({ id: 'ApiKey', description: 'An API key as listed: never its secret' });

export const describeAuthRoutes = (registry: OpenAPIRegistry): void => {
  const tags = ['Access'];
  registry.registerPath({
    method: 'post',
    path: '/v1/auth/login',
    tags,
    summary: 'Sign in: sets the session cookie and answers the CSRF token',
    description: 'Failed sign-ins are throttled per account and source (429 with Retry-After); an account is slowed, never locked.',
    security: [],
    request: { body: { required: true, content: { 'application/json': { schema: loginBody } } } },
    responses: { 200: json(z.looseObject({ kind: z.literal('user'), user, csrfToken: z.string(), expiresAt: z.string() }), 'Signed in'), ...problems(400, 401, 429) },
  });
  registry.registerPath({ method: 'post', path: '/v1/auth/logout', tags, summary: 'Sign out', security: AUTHENTICATED, responses: { 204: { description: 'Signed out' }, ...problems(401) } });
  registry.registerPath({
    method: 'get',
    path: '/v1/auth/session',
    tags,
    summary: 'Who is calling: the signed-in user or the API key',
    security: AUTHENTICATED,
    responses: { 200: json(z.looseObject({ kind: z.enum(['user', 'api_key']) }), 'The caller'), ...problems(401) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/tenants',
    tags: ['Tenants'],
    summary: 'The tenants the caller may see',
    security: AUTHENTICATED,
    responses: { 200: json(z.object({ tenants: z.array(tenant) }), 'Tenants'), ...problems(401) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/tenants',
    tags: ['Tenants'],
    summary: 'Create a tenant (admins)',
    security: SESSION_ONLY,
    request: { body: { required: true, content: { 'application/json': { schema: tenantBody } } } },
    responses: { 201: json(tenant, 'Created'), ...problems(400, 401, 403, 409) },
  });
  registry.registerPath({ method: 'get', path: '/v1/users', tags: ['Users'], summary: 'List users (admins)', security: SESSION_ONLY, responses: { 200: json(z.object({ users: z.array(user) }), 'Users'), ...problems(401, 403) } });
  registry.registerPath({
    method: 'post',
    path: '/v1/users',
    tags: ['Users'],
    summary: 'Create a user (admins)',
    security: SESSION_ONLY,
    request: { body: { required: true, content: { 'application/json': { schema: newUserBody } } } },
    responses: { 201: json(user, 'Created'), ...problems(400, 401, 403, 404, 409) },
  });
  registry.registerPath({
    method: 'patch',
    path: '/v1/users/{id}',
    tags: ['Users'],
    summary: "Change a user's name, password, role, tenants or disable them (admins)",
    security: SESSION_ONLY,
    request: { params: z.object({ id: z.uuid() }), body: { required: true, content: { 'application/json': { schema: userChangeBody } } } },
    responses: { 200: json(user, 'Changed'), ...problems(400, 401, 403, 404, 409) },
  });
  const keys = z.object({ tenant: tenantParam });
  registry.registerPath({
    method: 'get',
    path: '/v1/tenants/{tenant}/api-keys',
    tags: ['API keys'],
    summary: "A tenant's API keys (admins)",
    security: SESSION_ONLY,
    request: { params: keys },
    responses: { 200: json(z.object({ apiKeys: z.array(apiKey) }), 'API keys'), ...problems(401, 403, 404) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/tenants/{tenant}/api-keys',
    tags: ['API keys'],
    summary: 'Make an API key (admins); the key is shown once',
    security: SESSION_ONLY,
    request: { params: keys, body: { required: true, content: { 'application/json': { schema: apiKeyBody } } } },
    responses: { 201: json(apiKey.extend({ key: z.string(), notice: z.string() }), 'Made: store the key now'), ...problems(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: 'delete',
    path: '/v1/tenants/{tenant}/api-keys/{id}',
    tags: ['API keys'],
    summary: 'Revoke an API key (admins); it stops working at once',
    security: SESSION_ONLY,
    request: { params: keys.extend({ id: apiKeyIdSchema }) },
    responses: { 200: json(apiKey, 'Revoked'), ...problems(400, 401, 403, 404) },
  });
};
