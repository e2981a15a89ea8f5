// The sandbox's OAuth 2.0 / OpenID Connect server, composed from its store, signing key and routers.
// This file is the seam helper A's server mounts (see docs/qbo-sandbox-oauth-webhooks.md).
import { z } from 'zod';
import { createOAuthControlsRouter, appSchema, lifetimesSchema, UnknownTargetError } from './oauth-controls-router.js';
import { createOAuthRouter, type PendingConsent } from './oauth-router.js';
import { createOAuthStore, needsRealm, type GrantRecord } from './oauth-store.js';
import {
  DEFAULT_APP,
  DEFAULT_LIFETIMES,
  INTUIT_ID_TOKEN_ISSUER,
  type OAuthApp,
  type OAuthLifetimes,
  type OAuthOptions,
  type OAuthServer,
  type TokenLogEntry,
} from './oauth-types.js';
import { generateSigningKey, signingKeyFromPem, signingKeyToPem, signJwt, type SigningKey } from './signing-key.js';

export * from './oauth-types.js';
export { OAUTH_PATHS } from './oauth-router.js';

const TOKEN_LOG_LIMIT = 10_000;

const grantSchema = z.object({
  id: z.string(),
  clientId: z.string(),
  realmId: z.string().optional(),
  scopes: z.array(z.string()),
  sub: z.string(),
  createdAt: z.number(),
  hardExpiresAt: z.number(),
  revokedAt: z.number().optional(),
});

const snapshotSchema = z.object({
  version: z.literal(1),
  signingKeyPem: z.string().min(1),
  apps: z.array(appSchema),
  autoApprove: z.boolean(),
  lifetimes: lifetimesSchema.required(),
  store: z.object({
    grants: z.array(grantSchema),
    codes: z.array(
      z.object({
        code: z.string(),
        clientId: z.string(),
        realmId: z.string().optional(),
        scopes: z.array(z.string()),
        redirectUri: z.string(),
        expiresAt: z.number(),
        usedAt: z.number().optional(),
        grantId: z.string().optional(),
      }),
    ),
    refreshTokens: z.array(
      z.object({
        token: z.string(),
        grantId: z.string(),
        issuedAt: z.number(),
        expiresAt: z.number(),
        supersededAt: z.number().optional(),
      }),
    ),
    accessTokens: z.array(z.object({ token: z.string(), grantId: z.string(), expiresAt: z.number() })),
  }),
});

export const createOAuthServer = (options: OAuthOptions): OAuthServer => {
  const { clock } = options;
  const initialApps = (options.apps ?? [DEFAULT_APP]).map((a) => ({ ...a, redirectUris: [...a.redirectUris] }));
  const initialLifetimes: OAuthLifetimes = { ...DEFAULT_LIFETIMES, ...options.lifetimes };

  let key: SigningKey = generateSigningKey();
  let apps = new Map<string, OAuthApp>(initialApps.map((a) => [a.clientId, a]));
  let autoApprove = options.autoApprove ?? false;
  let lifetimes: OAuthLifetimes = { ...initialLifetimes };
  let log: TokenLogEntry[] = [];
  const pending = new Map<string, PendingConsent>();

  const idToken = (grant: GrantRecord, issuedAtMs: number) => {
    const iat = Math.floor(issuedAtMs / 1000);
    return signJwt(key, {
      iss: INTUIT_ID_TOKEN_ISSUER,
      sub: grant.sub,
      // intuit-oauth's validateIdToken requires an array here.
      aud: [grant.clientId],
      ...(grant.realmId ? { realmid: grant.realmId } : {}),
      auth_time: Math.floor(grant.createdAt / 1000),
      iat,
      exp: iat + lifetimes.accessTokenSeconds,
    });
  };

  const changed = () => options.onChange?.();
  const rawStore = createOAuthStore({ clock, lifetimes: () => lifetimes, idToken });
  // Every mutation reports a change, failures included: a replayed code revokes a grant and then throws.
  const afterwards =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A): R => {
      try {
        return fn(...args);
      } finally {
        changed();
      }
    };
  const store: typeof rawStore = {
    ...rawStore,
    createCode: afterwards(rawStore.createCode),
    exchangeCode: afterwards(rawStore.exchangeCode),
    refresh: afterwards(rawStore.refresh),
    revoke: afterwards(rawStore.revoke),
    expireAccessTokens: afterwards(rawStore.expireAccessTokens),
    revokeGrants: afterwards(rawStore.revokeGrants),
  };

  const registerApp = (app: OAuthApp) => {
    apps.set(app.clientId, { ...app, redirectUris: [...app.redirectUris] });
    changed();
  };
  const setAutoApprove = (on: boolean) => {
    autoApprove = on;
    changed();
  };
  const appendLog = (entry: Omit<TokenLogEntry, 'at'>) => {
    log.push({ at: clock.now().toISOString(), ...entry });
    if (log.length > TOKEN_LOG_LIMIT) log = log.slice(-TOKEN_LOG_LIMIT);
  };

  const mintTokens: OAuthServer['mintTokens'] = ({ realmId, clientId, scopes }) => {
    const app = clientId ? apps.get(clientId) : apps.values().next().value;
    if (!app)
      throw new UnknownTargetError(clientId ? `No OAuth app has clientId ${clientId}` : 'No OAuth app is registered');
    if (!options.listCompanies().some((c) => c.realmId === realmId))
      throw new UnknownTargetError(`No sandbox company has realmId ${realmId}`);
    const granted = scopes ?? ['com.intuit.quickbooks.accounting', 'openid', 'profile', 'email'];
    const minted = store.mint({ clientId: app.clientId, scopes: granted, ...(needsRealm(granted) ? { realmId } : {}) });
    changed();
    return minted.body;
  };

  const router = createOAuthRouter({
    store,
    now: () => clock.now().getTime(),
    findApp: (id) => apps.get(id),
    autoApprove: () => autoApprove,
    listCompanies: options.listCompanies,
    baseUrl: options.baseUrl,
    signingKey: () => key,
    log: appendLog,
    pending,
  });

  const controlsRouter = createOAuthControlsRouter({
    store,
    apps: () => [...apps.values()],
    registerApp,
    autoApprove: () => autoApprove,
    setAutoApprove,
    lifetimes: () => lifetimes,
    setLifetimes: (patch) => {
      lifetimes = { ...lifetimes, ...patch };
      changed();
    },
    mintTokens,
    tokenLog: () => log,
    clearTokenLog: () => {
      log = [];
    },
  });

  return {
    router,
    controlsRouter,
    verifyAccessToken: (token, realmId) => store.verifyAccessToken(token, realmId),
    registerApp,
    setAutoApprove,
    mintTokens,
    tokenLog: () => log,
    snapshot: () => ({
      version: 1,
      signingKeyPem: signingKeyToPem(key),
      apps: [...apps.values()],
      autoApprove,
      lifetimes,
      store: store.snapshot(),
    }),
    restore: (state) => {
      const parsed = snapshotSchema.parse(state);
      key = signingKeyFromPem(parsed.signingKeyPem);
      apps = new Map(parsed.apps.map((a) => [a.clientId, a]));
      autoApprove = parsed.autoApprove;
      lifetimes = parsed.lifetimes;
      store.restore(parsed.store);
      pending.clear();
      log = [];
    },
    // Back to the options' configuration with no grants; the signing key survives so nothing else needs rotating.
    reset: () => {
      store.clear();
      apps = new Map(initialApps.map((a) => [a.clientId, { ...a, redirectUris: [...a.redirectUris] }]));
      autoApprove = options.autoApprove ?? false;
      lifetimes = { ...initialLifetimes };
      pending.clear();
      log = [];
    },
  };
};
