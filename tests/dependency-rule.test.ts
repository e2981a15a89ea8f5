// Proves the dependency rule check bites: a domain file doing I/O, reading the clock or importing an
// adapter, and an adapter importing an app, each make the check fail with the rule's name. Also holds the
// rule that no code but the Postgres event store runs SQL on the event log's tables, and proves it bites.

import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

const cruise = async (files: Record<string, string>) => {
  const dir = await mkdtemp(join(tmpdir(), 'qbo-sync-deprule-'));
  await copyFile(join(root, 'tsconfig.base.json'), join(dir, 'tsconfig.base.json'));
  await mkdir(join(dir, 'apps'), { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  const bin = join(root, 'node_modules/.bin/depcruise');
  try {
    const { stdout, stderr } = await run(bin, ['--config', join(root, '.dependency-cruiser.cjs'), 'packages', 'apps'], {
      cwd: dir,
    });
    return { failed: false, output: stdout + stderr };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { failed: true, output: stdout + stderr };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

// SQL on the event log (tables `events` and `event_streams`) belongs to the Postgres event store alone:
// everything else reads and writes through the EventStore port, so the log can live in another store.
const LOG_SQL_HOME = [
  /^packages\/adapters\/src\/postgres\/postgres-event-store\.ts$/,
  /^packages\/adapters\/src\/postgres\/migrations\//,
];

// Files allowed to touch the log for a while (none: the application layer reaches it through the port).
const LOG_SQL_TEMPORARY_ALLOW_LIST: readonly string[] = [];

const LOG_SQL = [
  // Raw SQL: FROM / INTO / JOIN / UPDATE / TRUNCATE events, schema-qualified or quoted or not.
  /\b(from|into|join|update|truncate)\s+(table\s+)?("?public"?\.)?"?events"?(?![\w.])/i,
  // The streams table under any statement.
  /\bevent_streams\b/i,
  // Kysely's query builder naming either table.
  /\b(selectFrom|insertInto|updateTable|deleteFrom|mergeInto|innerJoin|leftJoin|rightJoin|fullJoin)\(\s*['"`](public\.)?(events|event_streams)\b/,
];

/** Code without its comments and module specifiers, so prose ("folded from events") and node's 'events' pass. */
const codeOf = (text: string): string[] =>
  text
    .replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '))
    .split('\n')
    .map((line) => line.replace(/(^|[^:'"`\\])\/\/.*$/, '$1').replace(/\bfrom\s+'[^']*'/g, ''));

const sourceFiles = async (dir: string): Promise<string[]> => {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sourceFiles(path);
      return /\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(entry.name) ? [path] : [];
    }),
  );
  return nested.flat();
};

/** Every `file:line: text` in a package or app `src` folder where SQL touches the log outside its home. */
const findLogSql = async (base: string, allowList: readonly string[]): Promise<string[]> => {
  const found: string[] = [];
  for (const group of ['packages', 'apps']) {
    const members = await readdir(join(base, group), { withFileTypes: true }).catch(() => []);
    for (const member of members.filter((entry) => entry.isDirectory())) {
      for (const file of await sourceFiles(join(base, group, member.name, 'src'))) {
        const path = relative(base, file).split('\\').join('/');
        if (LOG_SQL_HOME.some((home) => home.test(path)) || allowList.includes(path)) continue;
        codeOf(await readFile(file, 'utf8')).forEach((line, index) => {
          if (LOG_SQL.some((pattern) => pattern.test(line))) found.push(`${path}:${index + 1}: ${line.trim()}`);
        });
      }
    }
  }
  return found;
};

describe('no SQL on the event log outside the Postgres event store', () => {
  it('holds in this tree', async () => {
    const found = await findLogSql(root, LOG_SQL_TEMPORARY_ALLOW_LIST);
    expect(found, `SQL on events/event_streams must go through the EventStore port:\n${found.join('\n')}`).toEqual([]);
  });

  it('catches raw SQL and query-builder calls on either table, in packages and apps, naming the files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qbo-sync-logsql-'));
    const files: Record<string, string> = {
      'packages/adapters/src/sync/reads-log.ts':
        'export const q = sql`select stream_name\n  FROM public.events where x`;\n',
      'packages/application/src/counts.ts': "export const q = (db) => db.selectFrom('event_streams').selectAll();\n",
      'apps/worker/src/raw.ts':
        "const url = 'http://localhost/x'; export const q = 'insert into \"events\" (event_id) values ($1)';\n",
      'apps/api/src/joins.ts': 'export const q = `select 1 from syncs s join events e on true`;\n',
      'packages/adapters/src/postgres/postgres-event-store.ts': 'export const q = sql`SELECT * FROM events`;\n',
      'packages/adapters/src/postgres/migrations/0009-more.ts':
        'export const q = sql`ALTER TABLE event_streams ADD x int`;\n',
      'packages/domain/src/clean.ts': [
        "import { EventEmitter } from 'events';",
        '// the state is folded from events, never read FROM events directly',
        '/* UPDATE events SET nothing */',
        'export const all = Array.from(events);',
        'export const q = sql`select * from events_archive join record_events r on true`;',
        '',
      ].join('\n'),
    };
    try {
      for (const [path, text] of Object.entries(files)) {
        await mkdir(dirname(join(dir, path)), { recursive: true });
        await writeFile(join(dir, path), text);
      }
      const found = await findLogSql(dir, []);
      expect(found.map((line) => line.split(':')[0]).sort()).toEqual([
        'apps/api/src/joins.ts',
        'apps/worker/src/raw.ts',
        'packages/adapters/src/sync/reads-log.ts',
        'packages/application/src/counts.ts',
      ]);
      expect(found).toContain('packages/adapters/src/sync/reads-log.ts:2: FROM public.events where x`;');
      // The temporary allow-list exempts exactly the files it names.
      expect(await findLogSql(dir, ['apps/api/src/joins.ts'])).toHaveLength(3);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('dependency rule', () => {
  it('passes a pure domain and an adapter that imports it', async () => {
    const result = await cruise({
      'packages/domain/src/a.ts': 'export const a = 1;\n',
      'packages/adapters/src/b.ts': "import { a } from '../../domain/src/a.js';\nexport const b = a;\n",
    });
    expect(result.output).toContain('no dependency violations');
    expect(result.failed).toBe(false);
  });

  it('fails when the domain imports node core modules or a workspace package', async () => {
    const result = await cruise({
      'packages/domain/src/a.ts':
        "import { readFileSync } from 'node:fs';\nimport { b } from '../../adapters/src/b.js';\nexport const a = [readFileSync, b];\n",
      'packages/adapters/src/b.ts': 'export const b = 1;\n',
    });
    expect(result.failed).toBe(true);
    expect(result.output).toContain('domain-no-node-core');
    expect(result.output).toContain('domain-no-workspace');
  });

  it('fails when an adapter imports an app, or an app imports another app', async () => {
    const result = await cruise({
      'packages/adapters/src/b.ts': "import { c } from '../../../apps/api/src/c.js';\nexport const b = c;\n",
      'apps/api/src/c.ts': "import { d } from '../../worker/src/d.js';\nexport const c = d;\n",
      'apps/worker/src/d.ts': 'export const d = 1;\n',
    });
    expect(result.failed).toBe(true);
    expect(result.output).toContain('adapters-no-apps');
    expect(result.output).toContain('apps-not-each-other');
  });

  it('fails when the application imports kysely, pg, express, an adapter or an I/O module', async () => {
    const fakePackage = (name: string) => ({
      [`node_modules/${name}/package.json`]: JSON.stringify({ name, version: '1.0.0', main: 'index.js' }),
      [`node_modules/${name}/index.js`]: 'module.exports = {};\n',
    });
    const result = await cruise({
      ...fakePackage('kysely'),
      ...fakePackage('pg'),
      ...fakePackage('express'),
      'packages/application/src/a.ts':
        "import { sql } from 'kysely';\nimport pg from 'pg';\nimport express from 'express';\nimport { readFileSync } from 'node:fs';\nimport { b } from '../../adapters/src/b.js';\nexport const a = [sql, pg, express, readFileSync, b];\n",
      'packages/adapters/src/b.ts': 'export const b = 1;\n',
    });
    expect(result.failed).toBe(true);
    expect(result.output).toContain('application-only-domain');
    expect(result.output).toContain('application-no-io-modules');
    for (const name of ['node_modules/kysely/', 'node_modules/pg/', 'node_modules/express/', 'adapters/src/b.ts', '→ fs']) expect(result.output).toContain(name);
  });

  it('fails when the domain imports an npm package other than zod', async () => {
    const result = await cruise({
      'node_modules/kysely/package.json': JSON.stringify({ name: 'kysely', version: '1.0.0', main: 'index.js' }),
      'node_modules/kysely/index.js': 'module.exports = {};\n',
      'packages/domain/src/a.ts': "import { sql } from 'kysely';\nexport const a = sql;\n",
    });
    expect(result.failed).toBe(true);
    expect(result.output).toContain('domain-only-zod');
  });

  it('passes an application that imports the domain and hashes with node:crypto', async () => {
    const result = await cruise({
      'packages/domain/src/d.ts': 'export const d = 1;\n',
      'packages/application/src/a.ts': "import { createHash } from 'node:crypto';\nimport { d } from '../../domain/src/d.js';\nexport const a = [createHash, d];\n",
    });
    expect(result.output).toContain('no dependency violations');
  });

  it('fails when a read model imports the application', async () => {
    const result = await cruise({
      'packages/adapters/src/postgres/read-models/r.ts': "import { u } from '../../../../application/src/u.js';\nexport const r = u;\n",
      'packages/application/src/u.ts': 'export const u = 1;\n',
    });
    expect(result.failed).toBe(true);
    expect(result.output).toContain('read-models-no-application');
  });

  it('fails lint when domain code reads the clock or draws randomness', async () => {
    const eslint = new ESLint({ cwd: root });
    const [result] = await eslint.lintText(
      'export const stamp = () => ({ at: Date.now(), id: Math.random(), when: new Date() });\n',
      { filePath: join(root, 'packages/domain/src/virtual-impure.ts') },
    );
    const messages = result?.messages.map((message) => message.message) ?? [];
    expect(messages.some((message) => message.startsWith('Date.now()'))).toBe(true);
    expect(messages.some((message) => message.startsWith('Math.random()'))).toBe(true);
    expect(messages.some((message) => message.startsWith('new Date()'))).toBe(true);
  });
});
