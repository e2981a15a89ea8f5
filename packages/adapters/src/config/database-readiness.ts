// Answers "can this process serve?": the database answers, and every migration this code knows has been
// applied. Used by the api's /readyz and by processes that wait for the schema before they start.

import { type Kysely, sql } from 'kysely';
import { migrations } from '../postgres/migrations/index.js';

export type DatabaseReadiness =
  | { readonly ready: true }
  | { readonly ready: false; readonly reason: 'database_unreachable' | 'migrations_pending'; readonly detail: string };

export const checkDatabaseReadiness = async (db: Kysely<unknown>, timeoutMs = 2_000): Promise<DatabaseReadiness> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const applied = await Promise.race([
      (async () => {
        const table = await sql<{ exists: boolean }>`select to_regclass('public.kysely_migration') is not null as exists`.execute(db);
        if (table.rows[0]?.exists !== true) return new Set<string>();
        const rows = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
        return new Set(rows.rows.map((row) => row.name));
      })(),
      timeout,
    ]);
    const pending = Object.keys(migrations).filter((name) => !applied.has(name));
    return pending.length === 0 ? { ready: true } : { ready: false, reason: 'migrations_pending', detail: `pending: ${pending.join(', ')}` };
  } catch (error) {
    // The message of a connection error can carry the host; never the password, which pg does not echo.
    return { ready: false, reason: 'database_unreachable', detail: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
};
