import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../src/testing/index.js';

describe('test databases', () => {
  const made: TestDatabase[] = [];
  afterAll(async () => Promise.all(made.map((db) => db.drop())));

  it('are separate databases on a real server', async () => {
    const a = await createTestDatabase('a');
    const b = await createTestDatabase('b');
    made.push(a, b);
    expect(a.name).not.toBe(b.name);
    const client = new pg.Client({ connectionString: a.url });
    await client.connect();
    const { rows } = await client.query<{ db: string }>('select current_database() as db');
    await client.end();
    expect(rows[0]?.db).toBe(a.name);
  });
});
