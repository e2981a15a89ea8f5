// What the records and syncs routes share: parsing the tenant and record type out of the path (a clear 4xx
// naming the part that is wrong), refusing tenants nobody created, turning zod issues into one problem that
// lists every bad field, the actor recorded on events, and the 4xx/5xx a failed command maps to.

import { EventStoreUnavailableError, RECORD_TYPES, type Actor, type RecordType, isWrongExpectedRevision, recordTypeSchema, tenantIdSchema } from '@qbo-sync/domain';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { TenantStore } from '../auth/tenant-store.js';
import { problem, sendProblem } from '../http/problem.js';

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** zod issues as field errors; an unknown key names itself. */
export const fieldErrors = (error: z.ZodError, prefix = ''): FieldError[] =>
  error.issues.flatMap((issue) => {
    const base = issue.path.map(String).join('.');
    const join = (name: string) => [prefix, name].filter((part) => part !== '').join('.');
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ field: join(base === '' ? key : `${base}.${key}`), message: 'is not a known field' }));
    return [{ field: join(base) || prefix || 'body', message: issue.message }];
  });

export const describeErrors = (errors: readonly FieldError[]): string => errors.map((error) => `${error.field}: ${error.message}`).join('; ');

export const sendInvalid = (res: Response, slug: string, title: string, errors: readonly FieldError[]): void => {
  sendProblem(res, problem(slug, title, 400, describeErrors(errors), { field: errors[0]?.field, errors }));
};

export const parseTenant = (req: Request, res: Response): string | null => {
  const parsed = tenantIdSchema.safeParse(req.params.tenant);
  if (parsed.success) return parsed.data;
  sendProblem(res, problem('invalid-tenant', 'Invalid tenant id', 400, `tenant: ${parsed.error.issues[0]?.message ?? 'invalid'}`, { field: 'tenant' }));
  return null;
};

export const parseRecordType = (value: unknown, res: Response, field = 'type'): RecordType | null => {
  const parsed = recordTypeSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  sendProblem(
    res,
    problem('unknown-record-type', 'Unknown record type', 404, `${field}: "${String(value)}" is not a record type; the types are ${RECORD_TYPES.join(', ')}`, {
      field,
      recordTypes: RECORD_TYPES,
    }),
  );
  return null;
};

/** Tenants exist once an admin created them. Known ones are remembered: a tenant is never deleted. */
export const createTenantDirectory = (tenants: TenantStore) => {
  const known = new Set<string>();
  return async (tenantId: string): Promise<boolean> => {
    if (known.has(tenantId)) return true;
    const found = (await tenants.list([tenantId])).length > 0;
    if (found) known.add(tenantId);
    return found;
  };
};

export type TenantDirectory = ReturnType<typeof createTenantDirectory>;

/** Parses the tenant from the path and checks that it exists; answers the 4xx itself when not. */
export const resolveTenant = async (req: Request, res: Response, tenants: TenantDirectory): Promise<string | null> => {
  const tenantId = parseTenant(req, res);
  if (tenantId === null) return null;
  if (await tenants(tenantId)) return tenantId;
  sendProblem(res, problem('unknown-tenant', 'Unknown tenant', 404, `tenant: no tenant "${tenantId}" exists; an admin creates it first`, { field: 'tenant' }));
  return null;
};

/** Who the events say did it: the signed-in user or the API key, never a secret. */
export const actorOf = (res: Response): Actor => {
  const principal = res.locals.principal;
  if (principal?.kind === 'user') return { type: 'user', id: principal.userId };
  if (principal?.kind === 'api_key') return { type: 'api_key', id: principal.keyId };
  return { type: 'system', id: res.locals.userId ?? 'anonymous' };
};

export const actorLabel = (actor: Actor): string => `${actor.type === 'api_key' ? 'api-key' : actor.type}:${actor.id}`;

/** A failure the caller can act on, as a problem; anything else is rethrown to the 500 handler. */
export const sendCommandFailure = (res: Response, error: unknown): void => {
  if (isWrongExpectedRevision(error)) {
    sendProblem(res, problem('concurrent-update', 'Concurrent update', 409, 'the record was changed by another request at the same moment; send it again'));
    return;
  }
  if (error instanceof EventStoreUnavailableError) {
    res.setHeader('retry-after', '5');
    sendProblem(res, problem('unavailable', 'Service unavailable', 503, 'the event store did not answer; try again shortly'));
    return;
  }
  throw error;
};

/** Positive integer query values with bounds. */
export const pageLimit = (value: unknown, fallback: number, max: number): number | FieldError => {
  if (value === undefined) return fallback;
  const parsed = typeof value === 'string' && /^[0-9]{1,6}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > max) return { field: 'limit', message: `must be a whole number from 1 to ${max}` };
  return parsed;
};

/**
 * Parses a list route's query string: the route's own filters, `limit` within bounds, and `after` when it is
 * a cursor this api answered. Sends the 400 problem itself and answers null when anything is wrong.
 */
export const parsePageQuery = <Query extends { limit?: unknown; after?: string | undefined }>(
  req: Request,
  res: Response,
  schema: z.ZodType<Query>,
  bounds: { readonly fallback: number; readonly max: number; readonly validCursor?: (cursor: string) => boolean },
): { readonly query: Query; readonly limit: number } | null => {
  const parsed = schema.safeParse(req.query);
  if (!parsed.success) {
    sendInvalid(res, 'invalid-query', 'Invalid query parameter', fieldErrors(parsed.error));
    return null;
  }
  const limit = pageLimit(parsed.data.limit, bounds.fallback, bounds.max);
  if (typeof limit !== 'number') {
    sendInvalid(res, 'invalid-query', 'Invalid query parameter', [limit]);
    return null;
  }
  const after = parsed.data.after;
  if (after !== undefined && bounds.validCursor !== undefined && !bounds.validCursor(after)) {
    sendInvalid(res, 'invalid-query', 'Invalid query parameter', [{ field: 'after', message: 'must be a nextCursor this api answered' }]);
    return null;
  }
  return { query: parsed.data, limit };
};
