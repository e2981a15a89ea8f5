// Intuit's grant bookkeeping: authorization codes, grants, refresh and access tokens, and the rules
// that make them die (single-use codes, rotation window, idle and hard expiry, revocation). Every
// time comes from the sandbox clock; the routers only translate HTTP to these calls.
import { randomBytes, randomUUID } from 'node:crypto';
import type { SandboxClock } from '../clock.js';
import type { AccessTokenCheck, OAuthLifetimes, TokenResponseBody } from './oauth-types.js';

export interface GrantRecord {
  id: string;
  clientId: string;
  /** Absent for sign-in-only grants (no accounting or payment scope). */
  realmId?: string;
  scopes: string[];
  /** The OpenID subject: one sandbox user per realm, so it is stable for reconnects. */
  sub: string;
  createdAt: number;
  hardExpiresAt: number;
  revokedAt?: number;
}

export interface CodeRecord {
  code: string;
  clientId: string;
  realmId?: string;
  scopes: string[];
  redirectUri: string;
  expiresAt: number;
  usedAt?: number;
  /** The grant the first exchange created; revoked if the code is replayed. */
  grantId?: string;
}

export interface RefreshRecord {
  token: string;
  grantId: string;
  issuedAt: number;
  expiresAt: number;
  supersededAt?: number;
}

export interface AccessRecord {
  token: string;
  grantId: string;
  expiresAt: number;
}

export interface OAuthStoreState {
  grants: GrantRecord[];
  codes: CodeRecord[];
  refreshTokens: RefreshRecord[];
  accessTokens: AccessRecord[];
}

/** A token-endpoint failure in RFC 6749 terms: the router sends `{ error, error_description }` with this status. */
export class OAuthProtocolError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
    this.name = 'OAuthProtocolError';
  }
}

export const REALM_SCOPES = ['com.intuit.quickbooks.accounting', 'com.intuit.quickbooks.payment'];
export const OPENID_SCOPES = ['openid', 'profile', 'email', 'phone', 'address'];

export const KNOWN_SCOPES = new Set([
  ...REALM_SCOPES,
  ...OPENID_SCOPES,
  'payroll.compensation.read',
  'project-management.project',
  'app-foundations.custom-dimensions.read',
  'app-foundations.custom-field-definitions',
  'time-tracking.time-entry',
  'indirect-tax.tax-calculation.quickbooks',
]);

export const needsRealm = (scopes: readonly string[]) => scopes.some((s) => REALM_SCOPES.includes(s));

// Intuit's bearer tokens are long opaque strings (hundreds of characters) and refresh tokens ~50.
const newAccessToken = () => `eyJsYW5kYm94IjoicWJvIn0.${randomBytes(96).toString('base64url')}`;
const newRefreshToken = () => `AB11${randomBytes(35).toString('base64url')}`;
const newCode = () => `AB11${randomBytes(24).toString('base64url')}`;

const ACCESS_TOKEN_SHAPE = /^[A-Za-z0-9._~+/=-]{20,4096}$/;

export interface IssuedTokens {
  grant: GrantRecord;
  body: TokenResponseBody;
  rotated: boolean;
}

export const createOAuthStore = (deps: {
  clock: SandboxClock;
  lifetimes: () => OAuthLifetimes;
  /** Signs an id_token for a grant that has the openid scope. */
  idToken: (grant: GrantRecord, issuedAtMs: number) => string;
}) => {
  const grants = new Map<string, GrantRecord>();
  const codes = new Map<string, CodeRecord>();
  const refreshTokens = new Map<string, RefreshRecord>();
  const accessTokens = new Map<string, AccessRecord>();
  const now = () => deps.clock.now().getTime();
  const seconds = (ms: number) => Math.max(0, Math.floor(ms / 1000));

  const pruneAccessTokens = (at: number) => {
    // Bound memory in long benchmark runs: expired access tokens only ever answer 'expired'.
    if (accessTokens.size < 10_000) return;
    for (const [token, record] of accessTokens) if (record.expiresAt <= at) accessTokens.delete(token);
  };

  const issueAccess = (grant: GrantRecord, at: number): AccessRecord => {
    pruneAccessTokens(at);
    const record = {
      token: newAccessToken(),
      grantId: grant.id,
      expiresAt: at + deps.lifetimes().accessTokenSeconds * 1000,
    };
    accessTokens.set(record.token, record);
    return record;
  };

  const issueRefresh = (grant: GrantRecord, at: number): RefreshRecord => {
    const record = {
      token: newRefreshToken(),
      grantId: grant.id,
      issuedAt: at,
      expiresAt: Math.min(at + deps.lifetimes().refreshIdleSeconds * 1000, grant.hardExpiresAt),
    };
    refreshTokens.set(record.token, record);
    return record;
  };

  const respond = (
    grant: GrantRecord,
    access: AccessRecord,
    refresh: RefreshRecord,
    at: number,
    includeHardExpiry: boolean,
  ): TokenResponseBody => {
    const body: TokenResponseBody = {
      token_type: 'bearer',
      access_token: access.token,
      expires_in: seconds(access.expiresAt - at),
      refresh_token: refresh.token,
      x_refresh_token_expires_in: seconds(refresh.expiresAt - at),
    };
    if (includeHardExpiry) body.x_refresh_token_hard_expires_in = seconds(grant.hardExpiresAt - at);
    if (grant.scopes.includes('openid')) body.id_token = deps.idToken(grant, at);
    return body;
  };

  const createGrant = (input: { clientId: string; realmId?: string; scopes: string[] }, at: number): GrantRecord => {
    const grant: GrantRecord = {
      id: randomUUID(),
      clientId: input.clientId,
      scopes: [...input.scopes],
      sub: input.realmId ? `sandbox-user-${input.realmId}` : 'sandbox-user',
      createdAt: at,
      hardExpiresAt: at + deps.lifetimes().refreshHardSeconds * 1000,
      ...(input.realmId ? { realmId: input.realmId } : {}),
    };
    grants.set(grant.id, grant);
    return grant;
  };

  /** The grant behind a live access token, or why there is none. */
  const lookupAccess = (
    token: string,
  ): { ok: true; grant: GrantRecord } | { ok: false; reason: 'malformed' | 'expired' | 'invalid' } => {
    if (!ACCESS_TOKEN_SHAPE.test(token)) return { ok: false, reason: 'malformed' };
    const record = accessTokens.get(token);
    const grant = record ? grants.get(record.grantId) : undefined;
    if (!record || !grant || grant.revokedAt !== undefined) return { ok: false, reason: 'invalid' };
    if (now() >= record.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, grant };
  };

  const clear = () => {
    grants.clear();
    codes.clear();
    refreshTokens.clear();
    accessTokens.clear();
  };

  const invalidGrant = (description: string) => new OAuthProtocolError(400, 'invalid_grant', description);

  return {
    createCode(input: { clientId: string; realmId?: string; scopes: string[]; redirectUri: string }): string {
      const record: CodeRecord = {
        code: newCode(),
        clientId: input.clientId,
        scopes: [...input.scopes],
        redirectUri: input.redirectUri,
        expiresAt: now() + deps.lifetimes().codeSeconds * 1000,
        ...(input.realmId ? { realmId: input.realmId } : {}),
      };
      codes.set(record.code, record);
      return record.code;
    },

    exchangeCode(input: {
      clientId: string;
      code: string;
      redirectUri: string | undefined;
      includeHardExpiry: boolean;
    }): IssuedTokens {
      const at = now();
      const record = codes.get(input.code);
      if (!record) throw invalidGrant('Invalid authorization code');
      if (record.clientId !== input.clientId) throw invalidGrant('Authorization code was issued to another client');
      if (record.usedAt !== undefined) {
        // RFC 6749 §4.1.2: a replayed code revokes what it already granted (Intuit staff: oauth-jsclient#173).
        const granted = record.grantId ? grants.get(record.grantId) : undefined;
        if (granted && granted.revokedAt === undefined) granted.revokedAt = at;
        throw invalidGrant('Authorization code has already been used');
      }
      if (at >= record.expiresAt) throw invalidGrant('Authorization code has expired');
      if (input.redirectUri !== record.redirectUri)
        throw invalidGrant('redirect_uri does not match the authorization request');
      record.usedAt = at;
      const grant = createGrant(record, at);
      record.grantId = grant.id;
      const access = issueAccess(grant, at);
      const refresh = issueRefresh(grant, at);
      return { grant, body: respond(grant, access, refresh, at, input.includeHardExpiry), rotated: true };
    },

    refresh(input: { clientId: string; refreshToken: string; includeHardExpiry: boolean }): IssuedTokens {
      const at = now();
      const record = refreshTokens.get(input.refreshToken);
      if (!record) throw invalidGrant('Incorrect or invalid refresh token');
      const grant = grants.get(record.grantId);
      if (!grant || grant.clientId !== input.clientId) throw invalidGrant('Incorrect or invalid refresh token');
      if (grant.revokedAt !== undefined) throw invalidGrant('Refresh token has been revoked');
      if (record.supersededAt !== undefined) throw invalidGrant('Refresh token has been superseded by a newer one');
      if (at >= grant.hardExpiresAt) throw invalidGrant('Refresh token has reached its maximum validity');
      if (at >= record.expiresAt) throw invalidGrant('Refresh token has expired');
      const rotate = at >= record.issuedAt + deps.lifetimes().refreshRotationSeconds * 1000;
      let refresh = record;
      if (rotate) {
        record.supersededAt = at;
        refresh = issueRefresh(grant, at);
      }
      const access = issueAccess(grant, at);
      return { grant, body: respond(grant, access, refresh, at, input.includeHardExpiry), rotated: rotate };
    },

    mint(input: { clientId: string; realmId?: string; scopes: string[] }): IssuedTokens {
      const at = now();
      const grant = createGrant(input, at);
      return { grant, body: respond(grant, issueAccess(grant, at), issueRefresh(grant, at), at, true), rotated: true };
    },

    /** Revokes the grant behind an access or refresh token (Intuit's revoke disconnects the app). */
    revoke(input: { clientId: string; token: string }): { revoked: GrantRecord | undefined } {
      const record = accessTokens.get(input.token) ?? refreshTokens.get(input.token);
      const grant = record ? grants.get(record.grantId) : undefined;
      // RFC 7009 §2.2: an unknown token is not an error.
      if (!grant) return { revoked: undefined };
      if (grant.clientId !== input.clientId) {
        throw new OAuthProtocolError(400, 'invalid_request', 'Token was not issued to this client');
      }
      if (grant.revokedAt === undefined) grant.revokedAt = now();
      return { revoked: grant };
    },

    verifyAccessToken(token: string, realmId: string): AccessTokenCheck {
      const found = lookupAccess(token);
      if (!found.ok) return found;
      // A token without the accounting/payment scope, or for another company, is authenticated but not
      // authorised here: Intuit answers both with 403 / 3100.
      if (found.grant.realmId !== realmId || !needsRealm(found.grant.scopes))
        return { ok: false, reason: 'wrong_realm' };
      return { ok: true, clientId: found.grant.clientId };
    },

    /** Test control: make access tokens (of one token, one realm, or all) expire now. */
    expireAccessTokens(filter: { token?: string; realmId?: string }): number {
      const at = now();
      let count = 0;
      for (const record of accessTokens.values()) {
        if (filter.token !== undefined && record.token !== filter.token) continue;
        if (filter.realmId !== undefined && grants.get(record.grantId)?.realmId !== filter.realmId) continue;
        if (record.expiresAt > at) {
          record.expiresAt = at;
          count += 1;
        }
      }
      return count;
    },

    /** Test control: revoke grants (of one token, one realm, or all). */
    revokeGrants(filter: { token?: string; realmId?: string }): number {
      const at = now();
      const byToken =
        filter.token !== undefined
          ? (accessTokens.get(filter.token) ?? refreshTokens.get(filter.token))?.grantId
          : undefined;
      if (filter.token !== undefined && byToken === undefined) return 0;
      let count = 0;
      for (const grant of grants.values()) {
        if (byToken !== undefined && grant.id !== byToken) continue;
        if (filter.realmId !== undefined && grant.realmId !== filter.realmId) continue;
        if (grant.revokedAt === undefined) {
          grant.revokedAt = at;
          count += 1;
        }
      }
      return count;
    },

    listGrants(): GrantRecord[] {
      return [...grants.values()].map((g) => ({ ...g, scopes: [...g.scopes] }));
    },

    snapshot(): OAuthStoreState {
      return {
        grants: [...grants.values()],
        codes: [...codes.values()],
        refreshTokens: [...refreshTokens.values()],
        accessTokens: [...accessTokens.values()],
      };
    },

    restore(state: OAuthStoreState) {
      clear();
      for (const g of state.grants) grants.set(g.id, { ...g });
      for (const c of state.codes) codes.set(c.code, { ...c });
      for (const r of state.refreshTokens) refreshTokens.set(r.token, { ...r });
      for (const a of state.accessTokens) accessTokens.set(a.token, { ...a });
    },

    lookupAccess,
    clear,
  };
};

export type OAuthStore = ReturnType<typeof createOAuthStore>;
