// The access policy as a table: which route class each path falls in, and what each kind of principal may
// do in each class, in its own tenant and in another. Expectations are written out, not derived.

import { describe, expect, it } from 'vitest';
import { type RouteClass, classifyRoute, decideAccess } from '../../src/auth/access-policy.js';
import type { Principal } from '../../src/auth/roles.js';

const user = (role: 'admin' | 'operator' | 'auditor', tenants: string[] = ['acme']): Principal => ({
  kind: 'user',
  userId: `u-${role}`,
  email: `${role}@example.test`,
  name: role,
  role,
  tenants,
  sessionTokenHash: 'h',
  csrfToken: 'c',
});
const key = (role: 'operator' | 'auditor'): Principal => ({ kind: 'api_key', keyId: `k-${role}`, name: 'host', tenantId: 'acme', role });

describe('route classes', () => {
  const cases: [string, string, RouteClass, string?][] = [
    ['POST', '/v1/auth/login', 'public'],
    ['GET', '/v1/auth/login', 'admin'],
    ['GET', '/v1/connection/callback', 'public'],
    ['POST', '/v1/connection/callback', 'admin'],
    ['GET', '/v1/connection/disconnected', 'public'],
    ['GET', '/v1/connection/reconnect', 'public'],
    ['POST', '/v1/connection/disconnected', 'admin'],
    ['GET', '/v1/openapi.json', 'public'],
    ['GET', '/v1/events/schema', 'public'],
    ['GET', '/v1/auth/session', 'signed_in'],
    ['POST', '/v1/auth/logout', 'signed_in'],
    ['GET', '/v1/tenants', 'signed_in'],
    ['POST', '/v1/tenants', 'admin'],
    ['GET', '/v1/users', 'admin'],
    ['PATCH', '/v1/users/123', 'admin'],
    ['GET', '/v1/events', 'admin'],
    ['GET', '/v1', 'admin'],
    ['GET', '/v1/tenants/acme/connection', 'tenant_read', 'acme'],
    ['GET', '/v1/tenants/acme/connection/authorize', 'tenant_configure', 'acme'],
    ['DELETE', '/v1/tenants/acme/connection', 'tenant_configure', 'acme'],
    ['GET', '/v1/tenants/acme/api-keys', 'tenant_configure', 'acme'],
    ['POST', '/v1/tenants/acme/api-keys', 'tenant_configure', 'acme'],
    ['PUT', '/v1/tenants/acme/settings/customer', 'tenant_configure', 'acme'],
    ['GET', '/v1/tenants/acme/settings', 'tenant_read', 'acme'],
    ['PUT', '/v1/tenants/acme/records/customer/c1', 'tenant_operate', 'acme'],
    ['DELETE', '/v1/tenants/acme/records/customer/c1', 'tenant_operate', 'acme'],
    ['POST', '/v1/tenants/acme/syncs', 'tenant_operate', 'acme'],
    ['POST', '/v1/tenants/acme/syncs/s1/retry-failed', 'tenant_operate', 'acme'],
    ['GET', '/v1/tenants/acme/syncs/s1', 'tenant_read', 'acme'],
    // Auditors read the log: the feed, a record's history and the record as of a past time.
    ['GET', '/v1/tenants/acme/events', 'tenant_read', 'acme'],
    ['GET', '/v1/tenants/acme/records/customer/c1/history', 'tenant_read', 'acme'],
    ['POST', '/v1/tenants/acme/something-new', 'tenant_configure', 'acme'],
    // Express routing ignores case and a trailing slash and decodes params: the policy sees the same tenant.
    ['POST', '/V1/Tenants/acme/SYNCS/', 'tenant_operate', 'acme'],
    ['GET', '/v1/tenants/%61cme/connection', 'tenant_read', 'acme'],
    ['GET', '/v1/tenants/ACME/connection', 'tenant_read', 'ACME'],
    ['GET', '/v1/tenants/%E0%A4%A/connection', 'admin'],
  ];
  it.each(cases)('%s %s is %s', (method, path, routeClass, tenant) => {
    expect(classifyRoute(method, path)).toEqual(tenant === undefined ? { routeClass } : { routeClass, tenant });
  });
});

describe('every principal against every route class, in its tenant and across', () => {
  // One representative request per class; `T` is replaced by the tenant tried.
  const routes: [RouteClass, string, string][] = [
    ['signed_in', 'GET', '/v1/tenants'],
    ['admin', 'POST', '/v1/users'],
    ['tenant_read', 'GET', '/v1/tenants/T/records/customer'],
    ['tenant_operate', 'POST', '/v1/tenants/T/syncs'],
    ['tenant_configure', 'DELETE', '/v1/tenants/T/connection'],
  ];
  // allowed in acme (own tenant), allowed in beta (another tenant); signed_in and admin ignore tenants.
  const expected: Record<string, Record<RouteClass, [boolean, boolean] | boolean>> = {
    anonymous: { public: true, signed_in: false, admin: false, tenant_read: [false, false], tenant_operate: [false, false], tenant_configure: [false, false] },
    admin: { public: true, signed_in: true, admin: true, tenant_read: [true, true], tenant_operate: [true, true], tenant_configure: [true, true] },
    operator: { public: true, signed_in: true, admin: false, tenant_read: [true, false], tenant_operate: [true, false], tenant_configure: [false, false] },
    auditor: { public: true, signed_in: true, admin: false, tenant_read: [true, false], tenant_operate: [false, false], tenant_configure: [false, false] },
    'operator key': { public: true, signed_in: true, admin: false, tenant_read: [true, false], tenant_operate: [true, false], tenant_configure: [false, false] },
    'auditor key': { public: true, signed_in: true, admin: false, tenant_read: [true, false], tenant_operate: [false, false], tenant_configure: [false, false] },
  };
  const principals: Record<string, Principal | null> = {
    anonymous: null,
    admin: user('admin', []),
    operator: user('operator'),
    auditor: user('auditor'),
    'operator key': key('operator'),
    'auditor key': key('auditor'),
  };

  for (const [name, principal] of Object.entries(principals)) {
    for (const [routeClass, method, pattern] of routes) {
      for (const [index, tenant] of ['acme', 'beta'].entries()) {
        const want = expected[name]?.[routeClass];
        const allowed = Array.isArray(want) ? want[index] : want;
        const path = pattern.replace('T', tenant);
        it(`${name}: ${method} ${path} is ${allowed ? 'allowed' : 'refused'}`, () => {
          const decision = decideAccess(principal, method, path);
          expect(decision.allowed).toBe(allowed);
          if (!decision.allowed) expect(decision.status).toBe(principal === null ? 401 : 403);
        });
        if (!pattern.includes('T')) break;
      }
    }
  }

  it('names why a request is refused', () => {
    expect(decideAccess(user('auditor'), 'POST', '/v1/tenants/acme/syncs')).toMatchObject({ reason: expect.stringMatching(/read-only/) });
    expect(decideAccess(user('operator'), 'GET', '/v1/tenants/beta/connection')).toMatchObject({ reason: expect.stringMatching(/no access to tenant "beta"/) });
    expect(decideAccess(null, 'GET', '/v1/tenants/acme/connection')).toMatchObject({ status: 401, reason: expect.stringMatching(/Bearer/) });
  });
});
