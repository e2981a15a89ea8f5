// The auth tables as Kysely sees them (migration 0006-auth), and the api's handle typed with them.

import type { createDatabase } from '@qbo-sync/adapters/postgres';
import type { ApiKeyRole, Role } from './roles.js';

export type AuthTables = {
  tenants: { id: string; name: string; created_at: Date };
  users: { id: string; email: string; name: string; role: Role; password_hash: string; created_at: Date; disabled_at: Date | null };
  user_tenants: { user_id: string; tenant_id: string };
  auth_sessions: { token_hash: string; user_id: string; csrf_token: string; created_at: Date; expires_at: Date; last_seen_at: Date };
  api_keys: {
    id: string;
    tenant_id: string;
    name: string;
    role: ApiKeyRole;
    secret_hash: string;
    created_by: string;
    created_at: Date;
    last_used_at: Date | null;
    revoked_at: Date | null;
  };
};

export type AuthDb = ReturnType<typeof createDatabase<AuthTables>>;
