// Who may do what: every /v1 request is sorted into a route class by method and path, then the principal's
// role and tenants decide. Pure, so the whole table is tested without HTTP. Anything not recognised falls
// to the strictest class (admin only): a new route is closed until someone opens it here.

import type { Principal } from './roles.js';

export type RouteClass =
  /**
   * Reachable signed out: the login itself, Intuit's OAuth callback (bound to its single-use state), Intuit's
   * Disconnect and Reconnect landing pages (they only ask Intuit, never act on the request's word), the API and
   * event descriptions.
   */
  | 'public'
  /** Any principal: the caller's own session, logout, the tenants they may see. */
  | 'signed_in'
  /** Users with the admin role: user management, creating tenants, anything unrecognised. */
  | 'admin'
  /** Reading a tenant's data: every role that reaches the tenant. */
  | 'tenant_read'
  /** Syncing and fixing inside a tenant: records in, pull, push, retry, review. Admins and operators. */
  | 'tenant_operate'
  /** Changing how a tenant is set up: its QuickBooks connection, sync settings, API keys. Admins only. */
  | 'tenant_configure';

export interface RouteClassification {
  readonly routeClass: RouteClass;
  readonly tenant?: string;
}

export type AccessDecision = { readonly allowed: true } | { readonly allowed: false; readonly status: 401 | 403; readonly reason: string };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const isSafeMethod = (method: string): boolean => SAFE_METHODS.has(method.toUpperCase());

/** Unsafe methods under these first segments of a tenant path sync or fix: operators may use them. */
const OPERATE_SEGMENTS = new Set(['records', 'syncs', 'review', 'reviews', 'conflicts', 'failures']);

/**
 * Splits a request path the way Express matches it: segments are decoded (route params are), fixed
 * segments compared without case (routing is case-insensitive), and a trailing slash ignored.
 */
const segmentsOf = (path: string): string[] | null => {
  const raw = path.split('/').slice(1);
  if (raw.length > 1 && raw[raw.length - 1] === '') raw.pop();
  try {
    return raw.map((segment) => decodeURIComponent(segment));
  } catch {
    return null;
  }
};

export const isV1Path = (path: string): boolean => /^\/v1(\/|$)/i.test(path);

export const classifyRoute = (method: string, path: string): RouteClassification => {
  const verb = method.toUpperCase();
  const all = segmentsOf(path);
  if (all === null || all[0]?.toLowerCase() !== 'v1') return { routeClass: 'admin' };
  const segments = all.slice(1);
  const fixed = segments.map((segment) => segment.toLowerCase());
  const [first, second] = fixed;

  if (first === 'auth' && second === 'login' && segments.length === 2 && verb === 'POST') return { routeClass: 'public' };
  if (first === 'auth' && segments.length === 2 && (second === 'session' || second === 'logout')) return { routeClass: 'signed_in' };
  if (first === 'connection' && (second === 'callback' || second === 'disconnected' || second === 'reconnect') && segments.length === 2 && isSafeMethod(verb)) {
    return { routeClass: 'public' };
  }
  if (first === 'openapi.json' && segments.length === 1 && isSafeMethod(verb)) return { routeClass: 'public' };
  if (first === 'events' && second === 'schema' && segments.length === 2 && isSafeMethod(verb)) return { routeClass: 'public' };
  if (first === 'tenants' && segments.length === 1) return { routeClass: isSafeMethod(verb) ? 'signed_in' : 'admin' };

  if (first === 'tenants' && segments.length >= 2) {
    const tenant = segments[1] ?? '';
    const rest = fixed.slice(2);
    const area = rest[0];
    if (area === 'api-keys') return { routeClass: 'tenant_configure', tenant };
    if (area === 'connection' && (rest[1] === 'authorize' || !isSafeMethod(verb))) return { routeClass: 'tenant_configure', tenant };
    if (isSafeMethod(verb)) return { routeClass: 'tenant_read', tenant };
    if (area !== undefined && OPERATE_SEGMENTS.has(area)) return { routeClass: 'tenant_operate', tenant };
    return { routeClass: 'tenant_configure', tenant };
  }
  return { routeClass: 'admin' };
};

const reaches = (principal: Principal, tenant: string): boolean => {
  if (principal.kind === 'api_key') return principal.tenantId === tenant;
  return principal.role === 'admin' || principal.tenants.includes(tenant);
};

const who = (principal: Principal): string => (principal.kind === 'api_key' ? `API key ${principal.keyId} (${principal.role})` : `role ${principal.role}`);

export const decideAccess = (principal: Principal | null, method: string, path: string): AccessDecision => {
  const { routeClass, tenant } = classifyRoute(method, path);
  if (routeClass === 'public') return { allowed: true };
  if (principal === null) return { allowed: false, status: 401, reason: 'sign in, or send an API key as "Authorization: Bearer <key>"' };
  if (routeClass === 'signed_in') return { allowed: true };
  const action = `${method.toUpperCase()} ${path}`;
  const isAdmin = principal.kind === 'user' && principal.role === 'admin';
  if (routeClass === 'admin') return isAdmin ? { allowed: true } : { allowed: false, status: 403, reason: `${who(principal)} may not ${action}: admins only` };

  if (tenant === undefined || !reaches(principal, tenant)) {
    return { allowed: false, status: 403, reason: `${who(principal)} has no access to tenant "${tenant ?? ''}"` };
  }
  if (routeClass === 'tenant_read') return { allowed: true };
  if (routeClass === 'tenant_operate') {
    return principal.role === 'auditor' ? { allowed: false, status: 403, reason: `${who(principal)} is read-only and may not ${action}` } : { allowed: true };
  }
  return isAdmin ? { allowed: true } : { allowed: false, status: 403, reason: `${who(principal)} may not ${action}: changing a tenant's set-up is for admins` };
};
