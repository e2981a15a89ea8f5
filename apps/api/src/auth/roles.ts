// The three roles and what a principal is: a person signed in to the admin app, or a host application
// calling with a tenant-scoped API key. Everything access control decides starts from one of these.

import { z } from 'zod';

export const roleSchema = z.enum(['admin', 'operator', 'auditor'], { error: 'must be admin, operator or auditor' });
export type Role = z.infer<typeof roleSchema>;

/** API keys act for a host application inside one tenant: they never administer. */
export const apiKeyRoleSchema = z.enum(['operator', 'auditor'], { error: 'must be operator or auditor' });
export type ApiKeyRole = z.infer<typeof apiKeyRoleSchema>;

export type Principal =
  | {
      readonly kind: 'user';
      readonly userId: string;
      readonly email: string;
      readonly name: string;
      readonly role: Role;
      /** Tenants the user is a member of; admins reach every tenant whatever this holds. */
      readonly tenants: readonly string[];
      readonly sessionTokenHash: string;
      readonly csrfToken: string;
    }
  | {
      readonly kind: 'api_key';
      readonly keyId: string;
      readonly name: string;
      readonly tenantId: string;
      readonly role: ApiKeyRole;
    };

/** The actor recorded on events and in logs: never a secret. */
export const actorOf = (principal: Principal): string =>
  principal.kind === 'user' ? `user:${principal.userId}` : `api-key:${principal.keyId}`;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** Who is calling; set by the authentication middleware for every /v1 request that gets through. */
      principal?: Principal;
    }
  }
}
