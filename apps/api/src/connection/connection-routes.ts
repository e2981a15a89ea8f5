// The connection routes: start an OAuth connect (redirect to Intuit), Intuit's callback, Intuit's Disconnect and
// Reconnect landing pages, the connection's status, and disconnect. Each parses its input and calls the
// application's use case; tenant ids are validated; errors are problem+json naming the problem, except on the
// pages Intuit sends a browser to, where a person is looking and gets a page.

import {
  type CommandContext,
  type ConnectionDeps,
  ConnectionFlowError,
  beginAuthorization,
  checkRealmGrants,
  completeAuthorization,
  disconnect,
  getConnectionStatus,
} from '@qbo-sync/application';
import express, { type Response } from 'express';
import { z } from 'zod';
import { problem, sendProblem } from '../http/problem.js';
import { type TenantDirectory, resolveTenant } from '../records/route-support.js';
import { alreadyConnectedPage, connectedPage, disconnectedPage, failedPage, reconnectPage } from './callback-page.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** Set by the authentication middleware once sessions exist; until then connects run as "anonymous". */
      userId?: string;
    }
  }
}

export const CALLBACK_PATH = '/v1/connection/callback';
/** Intuit's Disconnect URL: where Intuit sends the browser after someone disconnects the app in QuickBooks. */
export const DISCONNECTED_PATH = '/v1/connection/disconnected';
/** Intuit's Reconnect URL: where Intuit sends someone to connect the app again. */
export const RECONNECT_PATH = '/v1/connection/reconnect';

export interface ConnectionRoutesOptions {
  /** What the connection's use cases need; resolves once the connection module is ready (it loads the vault key at start). */
  readonly connection: () => Promise<ConnectionDeps>;
  /** Where the callback page sends people back to. */
  readonly adminUrl?: string;
  /** Which tenants exist: a connection is begun, read or ended only for one that does. */
  readonly tenants: TenantDirectory;
}

export const authorizeQuery = z
  .object({ confirmRealmChange: z.enum(['true', 'false'], { error: 'must be true or false' }).optional() })
  .strict();

/**
 * The query Intuit sends to its Disconnect and Reconnect URLs: the company, as realmId. Anything else is ignored,
 * and a missing or odd realmId (not 1 to 32 digits) is read as none: it only skips the check.
 */
export const landingQuery = z.looseObject({
  realmId: z
    .string()
    .regex(/^\d{1,32}$/)
    .optional()
    .meta({ description: 'The QuickBooks company (realm) Intuit disconnected; anything else is ignored', example: '9341453050298138' }),
});

const userOf = (res: Response): string => res.locals.userId ?? 'anonymous';

/** The person's request: its id correlates the events it causes. */
const contextOf = (res: Response): CommandContext => ({ correlationId: res.locals.requestId, actor: { type: 'user', id: userOf(res) } });

export const connectionRoutes = (options: ConnectionRoutesOptions): express.Router => {
  const router = express.Router();
  const adminUrl = options.adminUrl ?? '/';

  router.get('/v1/tenants/:tenant/connection/authorize', async (req, res) => {
    const tenantId = await resolveTenant(req, res, options.tenants);
    if (tenantId === null) return;
    const query = authorizeQuery.safeParse(req.query);
    if (!query.success) {
      const issue = query.error.issues[0];
      const field = issue?.path.join('.') || String((issue as { keys?: string[] } | undefined)?.keys?.[0] ?? 'query');
      sendProblem(res, problem('invalid-query', 'Invalid query parameter', 400, `${field}: ${issue?.message ?? 'invalid'}`, { field }));
      return;
    }
    const { authorizeUrl } = await beginAuthorization(await options.connection(), { tenantId, userId: userOf(res), confirmRealmChange: query.data.confirmRealmChange === 'true' });
    res.setHeader('cache-control', 'no-store');
    res.redirect(302, authorizeUrl);
  });

  router.get(CALLBACK_PATH, async (req, res) => {
    res.setHeader('cache-control', 'no-store');
    const deps = await options.connection();
    const callbackUrl = `${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`;
    try {
      const result = await completeAuthorization(deps, { callbackUrl, userId: userOf(res) }, contextOf(res));
      const page = result.alreadyConnected ? alreadyConnectedPage : connectedPage;
      res.status(200).type('html').send(page(result.companyName, result.realmId, adminUrl));
    } catch (error) {
      if (!(error instanceof ConnectionFlowError)) throw error;
      res.locals.log.info({ code: error.code, tenantId: error.tenantId }, 'qbo connect did not complete');
      const base = error.tenantId === null ? null : `/v1/tenants/${encodeURIComponent(error.tenantId)}/connection/authorize`;
      const confirm = base !== null && error.code === 'realm_change_needs_confirmation' ? `${base}?confirmRealmChange=true` : null;
      res.status(error.status).type('html').send(failedPage(error.message, base, confirm));
    }
  });

  // Unauthenticated and unsigned, so the realmId is only a reason to ask Intuit (checkRealmGrants); the page is
  // the same whatever the answer, names no tenant, and never fails: a person is looking at it.
  const landing = (html: string) => async (req: express.Request, res: Response) => {
    res.setHeader('cache-control', 'no-store');
    // A query that does not parse (an odd realmId) is read as naming no company: still the page, never a 400.
    const realmId = landingQuery.safeParse(req.query).data?.realmId;
    if (realmId !== undefined) {
      try {
        await checkRealmGrants(await options.connection(), realmId);
      } catch (error) {
        res.locals.log.warn({ realmId, err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, 'could not check the grants of a disconnected company');
      }
    }
    res.status(200).type('html').send(html);
  };
  router.get(DISCONNECTED_PATH, landing(disconnectedPage(adminUrl)));
  router.get(RECONNECT_PATH, landing(reconnectPage(adminUrl)));

  router.get('/v1/tenants/:tenant/connection', async (req, res) => {
    const tenantId = await resolveTenant(req, res, options.tenants);
    if (tenantId === null) return;
    res.json(await getConnectionStatus(await options.connection(), tenantId));
  });

  router.delete('/v1/tenants/:tenant/connection', async (req, res) => {
    const tenantId = await resolveTenant(req, res, options.tenants);
    if (tenantId === null) return;
    const deps = await options.connection();
    try {
      const result = await disconnect(deps, { tenantId, userId: userOf(res) }, contextOf(res));
      res.status(200).json({ tenantId, state: 'disconnected', ...result });
    } catch (error) {
      if (!(error instanceof ConnectionFlowError)) throw error;
      const slug = error.code === 'not_connected' ? 'not-connected' : 'intuit-unavailable';
      const title = error.code === 'not_connected' ? 'Not connected' : 'Intuit unavailable';
      sendProblem(res, problem(slug, title, error.status, error.message));
    }
  });

  return router;
};
