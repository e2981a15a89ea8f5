// Keeps a sandbox's state in a JSON file between runs: loaded at start, written (atomically, via a
// temporary file and rename) shortly after changes and on shutdown.

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SandboxSnapshot } from '../sandbox-core.js';

export const loadStateFile = async (file: string): Promise<SandboxSnapshot | undefined> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  return JSON.parse(text) as SandboxSnapshot;
};

export const saveStateFile = async (file: string, snapshot: SandboxSnapshot): Promise<void> => {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(snapshot), 'utf8');
  await rename(tmp, file);
};

export interface StateSaver {
  /** Schedules a save (coalesced over `delayMs`). */
  markDirty(): void;
  /** Saves now (also waits for a save in progress). */
  flush(): Promise<void>;
  stop(): void;
}

export const createStateSaver = (file: string, snapshot: () => SandboxSnapshot, delayMs = 500): StateSaver => {
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  const save = () => {
    timer = undefined;
    chain = chain.then(() => saveStateFile(file, snapshot())).catch((e) => console.error(`qbo-sandbox: could not save ${file}:`, e));
    return chain;
  };
  return {
    markDirty() {
      if (!timer) timer = setTimeout(save, delayMs);
    },
    flush() {
      if (timer) clearTimeout(timer);
      return save();
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
};
