// The access-control routes: login, logout and the current session; tenants (list the ones you may see,
// create as admin); users (admin); a tenant's API keys (admin; the key is shown once). The authentication
// middleware has already applied the access policy to each of these paths before a handler runs.

import { tenantIdSchema } from '@qbo-sync/domain';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { problem, sendProblem } from '../http/problem.js';
import { createTenantDirectory, resolveTenant } from '../records/route-support.js';
import type { ApiKeyStore } from './api-key-store.js';
import type { LoginThrottle } from './login-throttle.js';
import { DUMMY_PASSWORD_HASH, MIN_PASSWORD_LENGTH, hashPassword, verifyPassword } from './password-hash.js';
import { type Principal, actorOf, apiKeyRoleSchema, roleSchema } from './roles.js';
import { clearSessionCookie, setSessionCookie } from './session-cookie.js';
import type { SessionStore } from './session-store.js';
import type { TenantStore } from './tenant-store.js';
import type { User, UserStore } from './user-store.js';

export interface AuthRoutesDeps {
  readonly users: UserStore;
  readonly sessions: SessionStore;
  readonly apiKeys: ApiKeyStore;
  readonly tenants: TenantStore;
  readonly throttle: LoginThrottle;
}

const email = z.string().trim().toLowerCase().pipe(z.email({ error: 'must be an email address' }));
const password = z.string().min(MIN_PASSWORD_LENGTH, { error: `must be at least ${MIN_PASSWORD_LENGTH} characters` }).max(1024);
const tenantList = z.array(tenantIdSchema).max(1000);

export const loginBody = z.object({ email: z.string().min(1, { error: 'is required' }).max(320), password: z.string().min(1, { error: 'is required' }).max(1024) }).strict();
export const tenantBody = z.object({ id: tenantIdSchema, name: z.string().trim().min(1, { error: 'is required' }).max(200) }).strict();
export const newUserBody = z
  .object({ email, name: z.string().trim().min(1, { error: 'is required' }).max(200), password, role: roleSchema, tenants: tenantList.default([]) })
  .strict();
export const userChangeBody = z
  .object({ name: z.string().trim().min(1).max(200), password, role: roleSchema, tenants: tenantList, disabled: z.boolean() })
  .partial()
  .strict();
/** Key ids are 16 hex digits (the public part of qsk_<id>_<secret>); anything else names no key. */
export const apiKeyIdSchema = z.string().regex(/^[0-9a-f]{16}$/);
export const apiKeyBody = z.object({ name: z.string().trim().min(1, { error: 'is required' }).max(200), role: apiKeyRoleSchema.default('operator') }).strict();

/** Answers 400 naming the first bad field; returns null then. */
const parseBody = <T>(schema: z.ZodType<T>, req: Request, res: Response): T | null => {
  const parsed = schema.safeParse(req.body ?? undefined);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const keys = (issue as { keys?: string[] } | undefined)?.keys;
  const field = issue?.path.join('.') || keys?.[0] || 'body';
  const message = req.body === undefined ? 'a JSON body (content-type: application/json) is required' : (issue?.message ?? 'invalid');
  sendProblem(res, problem('invalid-body', 'Invalid request body', 400, `${field}: ${message}`, { field }));
  return null;
};

const sessionView = (principal: Principal) =>
  principal.kind === 'user'
    ? { kind: 'user', user: { id: principal.userId, email: principal.email, name: principal.name, role: principal.role, tenants: principal.tenants }, csrfToken: principal.csrfToken }
    : { kind: 'api_key', apiKey: { id: principal.keyId, name: principal.name, role: principal.role, tenantId: principal.tenantId } };

const principalOf = (res: Response): Principal => {
  const principal = res.locals.principal;
  // The middleware guarantees a principal on every non-public route; reaching here without one is a bug.
  if (principal === undefined) throw new Error('auth route reached without a principal');
  return principal;
};

export const authRoutes = (deps: AuthRoutesDeps): express.Router => {
  const router = express.Router();

  const unknownTenant = (res: Response, field: string, tenantId: string): void => {
    sendProblem(res, problem('unknown-tenant', 'Unknown tenant', 404, `${field}: no tenant "${tenantId}" exists; an admin creates it first`, { field }));
  };

  // The path's tenant, once it exists: no key is minted for a tenant before it is created.
  const tenantDirectory = createTenantDirectory(deps.tenants);
  const tenantParam = (req: Request, res: Response): Promise<string | null> => resolveTenant(req, res, tenantDirectory);

  /** Memberships name existing tenants only; answers 404 naming the first unknown one. */
  const membershipsExist = async (res: Response, tenants: readonly string[] | undefined): Promise<boolean> => {
    if (tenants === undefined || tenants.length === 0) return true;
    const known = new Set((await deps.tenants.list(tenants)).map((tenant) => tenant.id));
    const index = tenants.findIndex((tenantId) => !known.has(tenantId));
    if (index === -1) return true;
    unknownTenant(res, `tenants.${index}`, tenants[index] as string);
    return false;
  };


  router.post('/v1/auth/login', async (req, res) => {
    // JSON only: a cross-site HTML form cannot send it, which closes login CSRF.
    if (!req.is('application/json')) {
      sendProblem(res, problem('unsupported-media-type', 'Unsupported media type', 415, 'login takes a JSON body (content-type: application/json)'));
      return;
    }
    const body = parseBody(loginBody, req, res);
    if (body === null) return;
    // The source is the socket's address, or the proxy's word for it only when TRUST_PROXY says to believe it.
    const source = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const verdict = await deps.throttle.check(body.email, source);
    if (verdict.kind === 'refuse') {
      res.setHeader('retry-after', String(verdict.retryAfterSeconds));
      sendProblem(res, problem('too-many-attempts', 'Too many attempts', 429, `too many failed sign-ins; try again in ${verdict.retryAfterSeconds} seconds`));
      return;
    }
    if (verdict.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, verdict.delayMs));
    const found = await deps.users.credentialsByEmail(body.email);
    const valid = await verifyPassword(body.password, found?.passwordHash ?? DUMMY_PASSWORD_HASH);
    if (found === null || !valid || found.user.disabled) {
      await deps.throttle.failed(body.email, source);
      res.locals.log.info({ outcome: 'failed' }, 'sign-in failed');
      sendProblem(res, problem('invalid-credentials', 'Sign-in failed', 401, 'the email or password is wrong, or the account is disabled'));
      return;
    }
    await deps.throttle.succeeded(body.email, source);
    const session = await deps.sessions.open(found.user.id);
    setSessionCookie(req, res, session.token, session.expiresAt);
    res.setHeader('cache-control', 'no-store');
    res.locals.log.info({ actor: `user:${found.user.id}` }, 'signed in');
    const { id, name, role, tenants } = found.user;
    res.json({ kind: 'user', user: { id, email: found.user.email, name, role, tenants }, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() });
  });

  router.post('/v1/auth/logout', async (req, res) => {
    const principal = principalOf(res);
    if (principal.kind === 'user') await deps.sessions.close(principal.sessionTokenHash);
    clearSessionCookie(req, res);
    res.status(204).end();
  });

  router.get('/v1/auth/session', (_req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.json(sessionView(principalOf(res)));
  });

  router.get('/v1/tenants', async (_req, res) => {
    const principal = principalOf(res);
    if (principal.kind === 'api_key') {
      const [known] = await deps.tenants.list([principal.tenantId]);
      res.json({ tenants: [known ?? { id: principal.tenantId, name: principal.tenantId, createdAt: null }] });
      return;
    }
    res.json({ tenants: await deps.tenants.list(principal.role === 'admin' ? undefined : principal.tenants) });
  });

  router.post('/v1/tenants', async (req, res) => {
    const body = parseBody(tenantBody, req, res);
    if (body === null) return;
    const tenant = await deps.tenants.create(body.id, body.name);
    if (tenant === null) {
      sendProblem(res, problem('tenant-exists', 'Tenant exists', 409, `id: a tenant "${body.id}" already exists`, { field: 'id' }));
      return;
    }
    res.status(201).json(tenant);
  });

  router.get('/v1/users', async (_req, res) => {
    res.json({ users: await deps.users.list() });
  });

  router.post('/v1/users', async (req, res) => {
    const body = parseBody(newUserBody, req, res);
    if (body === null) return;
    if (!(await membershipsExist(res, body.tenants))) return;
    const user = await deps.users.create({ email: body.email, name: body.name, role: body.role, tenants: body.tenants, passwordHash: await hashPassword(body.password) });
    if (user === null) {
      sendProblem(res, problem('user-exists', 'User exists', 409, `email: a user with this email already exists`, { field: 'email' }));
      return;
    }
    res.status(201).json(user);
  });

  router.patch('/v1/users/:id', async (req, res) => {
    const id = z.uuid().safeParse(req.params.id);
    if (!id.success) {
      sendProblem(res, problem('invalid-user-id', 'Invalid user id', 400, 'id: must be a UUID', { field: 'id' }));
      return;
    }
    const body = parseBody(userChangeBody, req, res);
    if (body === null) return;
    if (!(await membershipsExist(res, body.tenants))) return;
    const principal = principalOf(res);
    if (principal.kind === 'user' && principal.userId === id.data && (body.disabled === true || (body.role !== undefined && body.role !== 'admin'))) {
      sendProblem(res, problem('self-lockout', 'Would lock you out', 409, 'an admin cannot disable or demote their own account'));
      return;
    }
    const { password: newPassword, ...rest } = body;
    const user: User | null = await deps.users.update(id.data, { ...rest, ...(newPassword === undefined ? {} : { passwordHash: await hashPassword(newPassword) }) });
    if (user === null) {
      sendProblem(res, problem('not-found', 'Not found', 404, `no user ${id.data}`));
      return;
    }
    res.json(user);
  });

  router.get('/v1/tenants/:tenant/api-keys', async (req, res) => {
    const tenantId = await tenantParam(req, res);
    if (tenantId === null) return;
    res.json({ apiKeys: await deps.apiKeys.list(tenantId) });
  });

  router.post('/v1/tenants/:tenant/api-keys', async (req, res) => {
    const tenantId = await tenantParam(req, res);
    if (tenantId === null) return;
    const body = parseBody(apiKeyBody, req, res);
    if (body === null) return;
    const { apiKey, key } = await deps.apiKeys.create({ tenantId, name: body.name, role: body.role, createdBy: actorOf(principalOf(res)) });
    res.setHeader('cache-control', 'no-store');
    res.status(201).json({ ...apiKey, key, notice: 'store this key now: it is shown only once' });
  });

  router.delete('/v1/tenants/:tenant/api-keys/:id', async (req, res) => {
    const tenantId = await tenantParam(req, res);
    if (tenantId === null) return;
    const keyId = apiKeyIdSchema.safeParse(req.params.id);
    if (!keyId.success) {
      sendProblem(res, problem('invalid-api-key-id', 'Invalid API key id', 400, 'id: must be the 16 hex digits an API key id is made of', { field: 'id' }));
      return;
    }
    const revoked = await deps.apiKeys.revoke(tenantId, keyId.data);
    if (revoked === null) {
      sendProblem(res, problem('not-found', 'Not found', 404, `tenant ${tenantId} has no API key ${keyId.data}`));
      return;
    }
    res.json(revoked);
  });

  return router;
};
