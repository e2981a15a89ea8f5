// The gate in front of every /v1 route: finds the principal (an API key in the Authorization header, else
// the session cookie), checks the CSRF token on cookie-authenticated writes, and applies the access policy
// to the method and path. A request that is not allowed never reaches a route.

import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { problem, sendProblem } from '../http/problem.js';
import { decideAccess, isSafeMethod, isV1Path } from './access-policy.js';
import type { ApiKeyRateLimit } from './api-key-rate-limit.js';
import type { ApiKeyStore } from './api-key-store.js';
import { SESSION_COOKIE, readCookie } from './session-cookie.js';
import type { SessionStore } from './session-store.js';
import { type Principal, actorOf } from './roles.js';
import { sameSecret } from './secret-token.js';

export const CSRF_HEADER = 'x-csrf-token';

const unauthenticated = (res: Response, detail: string): void => {
  res.setHeader('www-authenticate', 'Bearer realm="qbo-sync"');
  sendProblem(res, problem('unauthenticated', 'Not signed in', 401, detail));
};

/** A cross-site page can make a browser send the cookie, but cannot read the CSRF token or set a header. */
const csrfFailure = (req: Request, principal: Principal): string | null => {
  if (principal.kind !== 'user' || isSafeMethod(req.method)) return null;
  const origin = req.get('origin');
  if (origin !== undefined && origin !== 'null') {
    const host = req.get('host');
    let originHost: string | null = null;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = null;
    }
    if (originHost !== host) return `the request comes from another origin (${origin})`;
  }
  const offered = req.get(CSRF_HEADER);
  if (offered === undefined || offered === '') return `a signed-in write needs the ${CSRF_HEADER} header (from GET /v1/auth/session)`;
  if (!sameSecret(offered, principal.csrfToken)) return `the ${CSRF_HEADER} header does not match this session`;
  return null;
};

export const authenticate = (deps: { sessions: SessionStore; apiKeys: ApiKeyStore; apiKeyRate: ApiKeyRateLimit }): RequestHandler =>
  async (req: Request, res: Response, next: NextFunction) => {
    if (!isV1Path(req.path)) return next();
    let principal: Principal | null = null;
    const authorization = req.get('authorization');
    if (authorization !== undefined) {
      const [scheme, key] = authorization.split(/\s+/, 2);
      if (scheme?.toLowerCase() !== 'bearer' || key === undefined || key === '') {
        unauthenticated(res, 'the Authorization header must be "Bearer <API key>"');
        return;
      }
      const check = await deps.apiKeys.check(key);
      if (check.ok) principal = check.principal;
      // A bad key on a public route (sign-in, the OAuth callback) is ignored: the route needs no key.
      else if (!decideAccess(null, req.method, req.path).allowed) {
        unauthenticated(res, check.reason);
        return;
      }
    } else {
      const token = readCookie(req, SESSION_COOKIE);
      if (token !== undefined && token !== '') {
        principal = await deps.sessions.principal(token);
        // A stale cookie is not an error on a public route (the login page): only where it matters.
      }
    }

    const decision = decideAccess(principal, req.method, req.path);
    if (!decision.allowed) {
      if (decision.status === 401) unauthenticated(res, principal === null && readCookie(req, SESSION_COOKIE) ? 'the session has ended; sign in again' : decision.reason);
      else sendProblem(res, problem('forbidden', 'Forbidden', 403, decision.reason));
      return;
    }
    if (principal?.kind === 'api_key') {
      const rate = await deps.apiKeyRate(principal.keyId);
      if (!rate.allowed) {
        res.setHeader('retry-after', String(rate.retryAfterSeconds));
        sendProblem(res, problem('rate-limited', 'Too many requests', 429, `this API key may make ${rate.limitPerMinute} requests a minute; try again in ${rate.retryAfterSeconds} seconds`));
        return;
      }
    }
    if (principal !== null) {
      const csrf = csrfFailure(req, principal);
      if (csrf !== null) {
        sendProblem(res, problem('csrf-failed', 'CSRF check failed', 403, csrf));
        return;
      }
      res.locals.principal = principal;
      res.locals.userId = actorOf(principal);
      res.locals.log = res.locals.log.child({ actor: actorOf(principal) });
    }
    next();
  };
