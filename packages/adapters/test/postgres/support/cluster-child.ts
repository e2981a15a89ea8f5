// A process that uses the adapters as the apps, benches and CLIs do: it imports the package's entry points, starts
// an embedded cluster (data folder and optional executables' folder from argv), asks it one question, stops
// it and then ends on its own with exit code 3. The test holds it to that code: no library may re-exit it.

import { join } from 'node:path';
import { startEmbeddedPostgres } from '@qbo-sync/adapters/embedded-postgres';
import { createPool } from '@qbo-sync/adapters/postgres';

const [dataDir, binariesHome] = process.argv.slice(2);
if (dataDir === undefined) throw new Error('usage: cluster-child <dataDir> [binariesHome]');

const server = await startEmbeddedPostgres({
  dataDir,
  persistent: false,
  ...(binariesHome === undefined
    ? {}
    : {
        binaries: {
          home: binariesHome,
          initdb: join(binariesHome, 'bin/initdb'),
          postgres: join(binariesHome, 'bin/postgres'),
        },
      }),
});
const pool = createPool({ connectionString: server.url, maxConnections: 1 });
const { rows } = await pool.query<{ who: string; answer: number }>('select current_user as who, 6 * 7 as answer');
await pool.end();
await server.stop();
process.stdout.write(`${JSON.stringify({ ...rows[0], clusterDir: server.clusterDir, pid: server.pid })}\n`);
process.exitCode = 3;
