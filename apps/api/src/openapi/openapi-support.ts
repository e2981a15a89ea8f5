// What every part of the OpenAPI document shares: the problem answer, the path parameters most routes take,
// and the ways to authenticate. Each area describes its own routes next to them (records/records-openapi.ts
// and so on) from the zod schemas its routes validate with; openapi-document.ts puts them together.

import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { RECORD_TYPES } from '@qbo-sync/domain';
import { z } from 'zod';
import { SESSION_COOKIE } from '../auth/session-cookie.js';

export const problemSchema = z
  .looseObject({
    type: z.string().meta({ description: 'A URL naming the problem, e.g. https://qbo-sync.dev/problems/invalid-record' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().meta({ description: 'What went wrong, starting with the field it concerns when there is one' }),
    field: z.string().optional().meta({ description: 'The first bad field, as a dotted path (records.3.record.email)' }),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional().meta({ description: 'Every bad field, on validation errors' }),
  })
  .meta({ id: 'Problem', description: 'An RFC 9457 problem detail (application/problem+json)' });

const problemContent = { 'application/problem+json': { schema: problemSchema } };

/** The answers every route may give besides its own: bad input, no or wrong credentials, and so on. */
export const problems = (...statuses: readonly number[]): RouteConfig['responses'] => {
  const descriptions: Record<number, string> = {
    400: 'The input is invalid: the problem names the field',
    401: 'No credentials, or credentials that are not valid',
    403: 'Credentials that may not do this (role or tenant)',
    404: 'No such tenant or resource',
    409: 'The request conflicts with the current state',
    413: 'The body is larger than allowed',
    429: 'Too many requests; Retry-After says when to try again',
    503: 'Not ready to serve',
  };
  return Object.fromEntries(statuses.map((status) => [status, { description: descriptions[status] ?? 'A problem', content: problemContent }]));
};

export const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

export const tenantParam = z.string().meta({ description: 'The tenant id (lower-case letters, digits, "_" and "-")', example: 'acme' });
export const recordTypeParam = z.enum(RECORD_TYPES).meta({ description: 'The record type' });

/** A signed-in person (session cookie; writes add X-CSRF-Token) or a tenant's API key (Bearer). */
export const registerSecuritySchemes = (registry: OpenAPIRegistry): void => {
  registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'A tenant API key, qsk_<id>_<secret>, made by an admin; it reaches its own tenant only',
  });
  registry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: 'The admin app\'s session, from POST /v1/auth/login; writes also send the csrfToken as X-CSRF-Token',
  });
};

type SecurityRequirements = Record<string, string[]>[];
export const AUTHENTICATED: SecurityRequirements = [{ apiKey: [] }, { session: [] }];
export const SESSION_ONLY: SecurityRequirements = [{ session: [] }];
