// Test controls for the sandbox's OAuth server (mounted under /__sandbox/oauth): register apps, flip
// auto-approve, shorten lifetimes, mint tokens without the browser dance, expire or revoke tokens, and
// read the token-endpoint call log. Nothing here exists at Intuit.
import express, { type Response } from 'express';
import { z } from 'zod';
import { KNOWN_SCOPES, type OAuthStore } from './oauth-store.js';
import type { OAuthApp, OAuthLifetimes, TokenLogEntry, TokenResponseBody } from './oauth-types.js';

export interface OAuthControlsDeps {
  store: OAuthStore;
  apps: () => OAuthApp[];
  registerApp: (app: OAuthApp) => void;
  autoApprove: () => boolean;
  setAutoApprove: (on: boolean) => void;
  lifetimes: () => OAuthLifetimes;
  setLifetimes: (patch: Partial<OAuthLifetimes>) => void;
  mintTokens: (input: { realmId: string; clientId?: string; scopes?: string[] }) => TokenResponseBody;
  tokenLog: () => readonly TokenLogEntry[];
  clearTokenLog: () => void;
}

export const appSchema = z.object({
  clientId: z.string().min(1).max(200),
  clientSecret: z.string().min(1).max(200),
  redirectUris: z.array(z.string().url()).default([]),
});

export const lifetimesSchema = z
  .object({
    accessTokenSeconds: z.number().int().positive(),
    refreshRotationSeconds: z.number().int().nonnegative(),
    refreshIdleSeconds: z.number().int().positive(),
    refreshHardSeconds: z.number().int().positive(),
    codeSeconds: z.number().int().positive(),
  })
  .partial()
  .strict();

const tokenFilterSchema = z
  .object({ token: z.string().min(1).optional(), realmId: z.string().min(1).optional() })
  .strict();

/** Thrown by mintTokens for an unknown app or company; the controls answer 404. */
export class UnknownTargetError extends Error {
  override name = 'UnknownTargetError';
}

const badRequest = (res: Response, error: z.ZodError) =>
  res.status(400).json({
    error: 'invalid_request',
    issues: error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })),
  });

export const createOAuthControlsRouter = (deps: OAuthControlsDeps): express.Router => {
  const router = express.Router();
  router.use(express.json({ limit: '64kb' }));

  router.get('/apps', (_req, res) => {
    // Secrets stay out of responses; tests know what they registered.
    res.json({ apps: deps.apps().map((a) => ({ clientId: a.clientId, redirectUris: a.redirectUris })) });
  });
  router.post('/apps', (req, res) => {
    const parsed = appSchema.safeParse(req.body);
    if (!parsed.success) return void badRequest(res, parsed.error);
    deps.registerApp(parsed.data);
    res.status(201).json({ clientId: parsed.data.clientId, redirectUris: parsed.data.redirectUris });
  });

  router.get('/auto-approve', (_req, res) => void res.json({ autoApprove: deps.autoApprove() }));
  router.put('/auto-approve', (req, res) => {
    const parsed = z.object({ on: z.boolean() }).strict().safeParse(req.body);
    if (!parsed.success) return void badRequest(res, parsed.error);
    deps.setAutoApprove(parsed.data.on);
    res.json({ autoApprove: deps.autoApprove() });
  });

  router.get('/lifetimes', (_req, res) => void res.json(deps.lifetimes()));
  router.put('/lifetimes', (req, res) => {
    const parsed = lifetimesSchema.safeParse(req.body);
    if (!parsed.success) return void badRequest(res, parsed.error);
    deps.setLifetimes(parsed.data);
    res.json(deps.lifetimes());
  });

  router.post('/tokens', (req, res) => {
    const parsed = z
      .object({
        realmId: z.string().min(1),
        clientId: z.string().min(1).optional(),
        scopes: z
          .array(z.string().refine((s) => KNOWN_SCOPES.has(s), 'not a scope Intuit defines'))
          .min(1)
          .optional(),
      })
      .strict()
      .safeParse(req.body);
    if (!parsed.success) return void badRequest(res, parsed.error);
    try {
      res.status(201).json(deps.mintTokens(parsed.data));
    } catch (err) {
      if (!(err instanceof UnknownTargetError)) throw err;
      res.status(404).json({ error: 'not_found', error_description: err.message });
    }
  });

  router.post('/expire-access-tokens', (req, res) => {
    const parsed = tokenFilterSchema.safeParse(req.body ?? {});
    if (!parsed.success) return void badRequest(res, parsed.error);
    res.json({ expired: deps.store.expireAccessTokens(parsed.data) });
  });
  router.post('/revoke', (req, res) => {
    const parsed = tokenFilterSchema.safeParse(req.body ?? {});
    if (!parsed.success) return void badRequest(res, parsed.error);
    res.json({ revoked: deps.store.revokeGrants(parsed.data) });
  });

  router.get('/grants', (_req, res) => {
    res.json({
      grants: deps.store.listGrants().map((g) => ({
        id: g.id,
        clientId: g.clientId,
        realmId: g.realmId ?? null,
        scopes: g.scopes,
        createdAt: new Date(g.createdAt).toISOString(),
        hardExpiresAt: new Date(g.hardExpiresAt).toISOString(),
        revokedAt: g.revokedAt === undefined ? null : new Date(g.revokedAt).toISOString(),
      })),
    });
  });

  router.get('/log', (_req, res) => void res.json({ entries: deps.tokenLog() }));
  router.delete('/log', (_req, res) => {
    deps.clearTokenLog();
    res.status(204).end();
  });

  return router;
};
