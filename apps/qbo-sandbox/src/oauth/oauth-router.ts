// Intuit's OAuth 2.0 / OpenID Connect endpoints at Intuit's own paths, so a client only swaps hosts:
// authorize (consent page), token, revoke, userinfo, JWKS and the discovery document.
import { randomBytes, randomUUID } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { renderConsentPage, renderErrorPage } from './authorize-page.js';
import { KNOWN_SCOPES, needsRealm, OAuthProtocolError, type OAuthStore } from './oauth-store.js';
import { INTUIT_ID_TOKEN_ISSUER, type OAuthApp, type TokenLogEntry } from './oauth-types.js';
import type { SigningKey } from './signing-key.js';

export const OAUTH_PATHS = {
  authorize: '/connect/oauth2',
  token: '/oauth2/v1/tokens/bearer',
  revoke: '/v2/oauth2/tokens/revoke',
  userinfo: '/v1/openid_connect/userinfo',
  jwks: '/op/v1/jwks',
  discovery: '/.well-known/openid-configuration',
} as const;

export interface PendingConsent {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state?: string;
  expiresAt: number;
}

export interface OAuthRouterDeps {
  store: OAuthStore;
  now: () => number;
  findApp: (clientId: string) => OAuthApp | undefined;
  autoApprove: () => boolean;
  listCompanies: () => Array<{ realmId: string; companyName: string }>;
  baseUrl: () => string;
  signingKey: () => SigningKey;
  log: (entry: Omit<TokenLogEntry, 'at'>) => void;
  pending: Map<string, PendingConsent>;
}

const one = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Bodies may arrive already parsed by the host app, as text, or as a Buffer. */
const formBody = (req: Request): Record<string, unknown> => {
  const body: unknown = req.body;
  if (typeof body === 'string' || Buffer.isBuffer(body))
    return Object.fromEntries(new URLSearchParams(body.toString()));
  return body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
};

const withIntuitTid = (res: Response) => res.setHeader('intuit_tid', randomUUID());

const sendOAuthError = (res: Response, err: OAuthProtocolError) => {
  if (err.status === 401) res.setHeader('www-authenticate', 'Basic realm="Intuit"');
  res.status(err.status).json({ error: err.error, error_description: err.description });
};

const redirectWith = (res: Response, redirectUri: string, params: Record<string, string | undefined>) => {
  const target = new URL(redirectUri);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) target.searchParams.set(key, value);
  res.redirect(302, target.toString());
};

export const createOAuthRouter = (deps: OAuthRouterDeps): express.Router => {
  const router = express.Router();
  const urlencoded = express.urlencoded({ extended: false, limit: '16kb' });
  const json = express.json({ limit: '16kb' });

  /** Basic client authentication, the only method Intuit's token and revoke endpoints take. */
  const authenticateClient = (req: Request): OAuthApp => {
    const header = req.get('authorization') ?? '';
    const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
    if (!match?.[1])
      throw new OAuthProtocolError(401, 'invalid_client', 'Client authentication with HTTP Basic is required');
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const clientId = colon < 0 ? decoded : decoded.slice(0, colon);
    const secret = colon < 0 ? '' : decoded.slice(colon + 1);
    const app = deps.findApp(clientId);
    if (!app || app.clientSecret !== secret)
      throw new OAuthProtocolError(401, 'invalid_client', 'Client authentication failed');
    return app;
  };

  const issueCodeAndRedirect = (
    res: Response,
    pending: Omit<PendingConsent, 'expiresAt'>,
    realmId: string | undefined,
  ) => {
    const code = deps.store.createCode({
      clientId: pending.clientId,
      scopes: pending.scopes,
      redirectUri: pending.redirectUri,
      ...(realmId ? { realmId } : {}),
    });
    redirectWith(res, pending.redirectUri, { code, state: pending.state, realmId });
  };

  router.get(OAUTH_PATHS.authorize, (req, res) => {
    const clientId = one(req.query.client_id);
    const redirectUri = one(req.query.redirect_uri);
    const app = clientId ? deps.findApp(clientId) : undefined;
    // Without a trustworthy client and redirect URI there is nowhere safe to send an error (RFC 6749 §4.1.2.1).
    if (!clientId || !app)
      return void res.status(400).type('html').send(renderErrorPage('Unknown or missing client_id.'));
    if (!redirectUri) return void res.status(400).type('html').send(renderErrorPage('Missing redirect_uri.'));
    if (!URL.canParse(redirectUri))
      return void res.status(400).type('html').send(renderErrorPage('redirect_uri is not an absolute URL.'));
    if (app.redirectUris.length > 0 && !app.redirectUris.includes(redirectUri)) {
      return void res.status(400).type('html').send(renderErrorPage('redirect_uri is not registered for this app.'));
    }
    const state = one(req.query.state);
    if (one(req.query.response_type) !== 'code')
      return redirectWith(res, redirectUri, { error: 'unsupported_response_type', state });
    const scopes = (one(req.query.scope) ?? '').split(/\s+/).filter(Boolean);
    if (scopes.length === 0 || scopes.some((s) => !KNOWN_SCOPES.has(s)))
      return redirectWith(res, redirectUri, { error: 'invalid_scope', state });

    const companies = deps.listCompanies();
    const wantsCompany = needsRealm(scopes);
    const requestedRealm = one(req.query.realmId);
    if (requestedRealm !== undefined && !companies.some((c) => c.realmId === requestedRealm)) {
      return void res
        .status(400)
        .type('html')
        .send(renderErrorPage(`No sandbox company has realmId ${requestedRealm}.`));
    }
    const request = { clientId, redirectUri, scopes, ...(state !== undefined ? { state } : {}) };
    if (deps.autoApprove()) {
      if (!wantsCompany) return issueCodeAndRedirect(res, request, undefined);
      const realmId = requestedRealm ?? companies[0]?.realmId;
      if (!realmId) return redirectWith(res, redirectUri, { error: 'access_denied', state });
      return issueCodeAndRedirect(res, request, realmId);
    }
    const requestId = randomBytes(16).toString('base64url');
    deps.pending.set(requestId, { ...request, expiresAt: deps.now() + 30 * 60_000 });
    res
      .status(200)
      .type('html')
      .send(
        renderConsentPage({
          requestId,
          clientId,
          scopes,
          companies,
          needsCompany: wantsCompany,
          ...(requestedRealm ? { preselectedRealmId: requestedRealm } : {}),
        }),
      );
  });

  router.post(OAUTH_PATHS.authorize, urlencoded, (req, res) => {
    const form = formBody(req);
    const requestId = one(form.request_id) ?? '';
    const pending = deps.pending.get(requestId);
    deps.pending.delete(requestId);
    if (!pending || pending.expiresAt <= deps.now()) {
      return void res
        .status(400)
        .type('html')
        .send(renderErrorPage('This authorization request is unknown or has expired. Start again from the app.'));
    }
    if (one(form.decision) !== 'approve')
      return redirectWith(res, pending.redirectUri, { error: 'access_denied', state: pending.state });
    if (!needsRealm(pending.scopes)) return issueCodeAndRedirect(res, pending, undefined);
    const realmId = one(form.realmId);
    if (!realmId || !deps.listCompanies().some((c) => c.realmId === realmId)) {
      return void res.status(400).type('html').send(renderErrorPage('Choose one of the listed companies.'));
    }
    issueCodeAndRedirect(res, pending, realmId);
  });

  router.post(OAUTH_PATHS.token, urlencoded, (req, res) => {
    withIntuitTid(res);
    res.setHeader('cache-control', 'no-store');
    res.setHeader('pragma', 'no-cache');
    const form = formBody(req);
    const grantType = one(form.grant_type);
    const includeHardExpiry = (req.get('x-include-refresh-token-hard-expires-in') ?? '').toLowerCase() === 'true';
    let clientId: string | undefined;
    try {
      const app = authenticateClient(req);
      clientId = app.clientId;
      if (!req.is('application/x-www-form-urlencoded')) {
        throw new OAuthProtocolError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
      }
      let issued;
      if (grantType === 'authorization_code') {
        const code = one(form.code);
        if (!code) throw new OAuthProtocolError(400, 'invalid_request', 'Missing parameter: code');
        issued = deps.store.exchangeCode({ clientId, code, redirectUri: one(form.redirect_uri), includeHardExpiry });
      } else if (grantType === 'refresh_token') {
        const refreshToken = one(form.refresh_token);
        if (!refreshToken) throw new OAuthProtocolError(400, 'invalid_request', 'Missing parameter: refresh_token');
        issued = deps.store.refresh({ clientId, refreshToken, includeHardExpiry });
      } else {
        throw new OAuthProtocolError(
          400,
          'unsupported_grant_type',
          grantType ? `Unsupported grant_type: ${grantType}` : 'Missing parameter: grant_type',
        );
      }
      deps.log({
        endpoint: 'token',
        status: 200,
        clientId,
        ...(grantType ? { grantType } : {}),
        ...(issued.grant.realmId ? { realmId: issued.grant.realmId } : {}),
        ...(grantType === 'refresh_token' ? { rotated: issued.rotated } : {}),
      });
      res.status(200).json(issued.body);
    } catch (err) {
      if (!(err instanceof OAuthProtocolError)) throw err;
      deps.log({
        endpoint: 'token',
        status: err.status,
        error: err.error,
        ...(grantType ? { grantType } : {}),
        ...(clientId ? { clientId } : {}),
      });
      sendOAuthError(res, err);
    }
  });

  router.post(OAUTH_PATHS.revoke, json, urlencoded, (req, res) => {
    withIntuitTid(res);
    let clientId: string | undefined;
    try {
      clientId = authenticateClient(req).clientId;
      const token = one(formBody(req).token);
      if (!token) throw new OAuthProtocolError(400, 'invalid_request', 'Missing parameter: token');
      const { revoked } = deps.store.revoke({ clientId, token });
      deps.log({
        endpoint: 'revoke',
        status: 200,
        clientId,
        ...(revoked?.realmId ? { realmId: revoked.realmId } : {}),
      });
      res.status(200).end();
    } catch (err) {
      if (!(err instanceof OAuthProtocolError)) throw err;
      deps.log({ endpoint: 'revoke', status: err.status, error: err.error, ...(clientId ? { clientId } : {}) });
      sendOAuthError(res, err);
    }
  });

  router.get(OAUTH_PATHS.userinfo, (req, res) => {
    withIntuitTid(res);
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    const found = match?.[1] ? deps.store.lookupAccess(match[1]) : undefined;
    if (!found?.ok) {
      deps.log({ endpoint: 'userinfo', status: 401, error: 'invalid_token' });
      res.setHeader('www-authenticate', 'Bearer realm="Intuit", error="invalid_token"');
      return void res.status(401).json({
        error: 'invalid_token',
        error_description: 'The access token is missing, malformed, expired or revoked',
      });
    }
    const { grant } = found;
    if (!grant.scopes.includes('openid')) {
      deps.log({ endpoint: 'userinfo', status: 403, error: 'insufficient_scope', clientId: grant.clientId });
      res.setHeader('www-authenticate', 'Bearer realm="Intuit", error="insufficient_scope", scope="openid"');
      return void res
        .status(403)
        .json({ error: 'insufficient_scope', error_description: 'userinfo needs the openid scope' });
    }
    const has = (scope: string) => grant.scopes.includes(scope);
    const tag = grant.realmId ?? 'user';
    deps.log({
      endpoint: 'userinfo',
      status: 200,
      clientId: grant.clientId,
      ...(grant.realmId ? { realmId: grant.realmId } : {}),
    });
    res.status(200).json({
      sub: grant.sub,
      ...(has('email') ? { email: `owner+${tag}@sandbox.qbo.invalid`, emailVerified: true } : {}),
      ...(has('profile') ? { givenName: 'Sandbox', familyName: `Owner ${tag}` } : {}),
      ...(has('phone') ? { phoneNumber: '+1 5555550100', phoneNumberVerified: false } : {}),
      ...(has('address')
        ? {
            address: {
              streetAddress: '2700 Coast Ave',
              locality: 'Mountain View',
              region: 'CA',
              postalCode: '94043',
              country: 'US',
            },
          }
        : {}),
    });
  });

  router.get(OAUTH_PATHS.jwks, (_req, res) => {
    res.status(200).json({ keys: [deps.signingKey().jwk] });
  });

  const discovery = (_req: Request, res: Response) => {
    const base = deps.baseUrl().replace(/\/+$/, '');
    res.status(200).json({
      // intuit-oauth hard-codes Intuit's issuer, so the sandbox signs with it too (see docs).
      issuer: INTUIT_ID_TOKEN_ISSUER,
      authorization_endpoint: `${base}${OAUTH_PATHS.authorize}`,
      token_endpoint: `${base}${OAUTH_PATHS.token}`,
      userinfo_endpoint: `${base}${OAUTH_PATHS.userinfo}`,
      revocation_endpoint: `${base}${OAUTH_PATHS.revoke}`,
      jwks_uri: `${base}${OAUTH_PATHS.jwks}`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: [...KNOWN_SCOPES],
      token_endpoint_auth_methods_supported: ['client_secret_basic'],
      claims_supported: ['aud', 'exp', 'iat', 'iss', 'realmid', 'sub', 'auth_time'],
    });
  };
  // Intuit publishes its documents under these underscore names; the hyphenated one is the OIDC default.
  router.get(
    [OAUTH_PATHS.discovery, '/.well-known/openid_configuration', '/.well-known/openid_sandbox_configuration'],
    discovery,
  );

  return router;
};
