// Proves the dependency rule check bites: a domain file doing I/O, reading the clock or importing an
// adapter, and an adapter importing an app, each make the check fail with the rule's name.

import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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
    const { stdout, stderr } = await run(bin, ['--config', join(root, '.dependency-cruiser.cjs'), 'packages', 'apps'], { cwd: dir });
    return { failed: false, output: stdout + stderr };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { failed: true, output: stdout + stderr };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

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
      'packages/domain/src/a.ts': "import { readFileSync } from 'node:fs';\nimport { b } from '../../adapters/src/b.js';\nexport const a = [readFileSync, b];\n",
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
