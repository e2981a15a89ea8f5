// The shared life cycle of a service process (api, worker, projector): load configuration (a bad value
// stops start-up with a message naming the variable), start, then stop cleanly on SIGINT/SIGTERM, or when
// the parent that spawned it over IPC goes away, so no process is left behind.

import { ConfigurationError } from './configuration-error.js';

export interface RunningService {
  stop(): Promise<void>;
}

export interface RunServiceOptions {
  readonly name: string;
  /** Longest wait for a clean stop before the process exits anyway. */
  readonly stopTimeoutMs?: number;
}

export const runService = async (options: RunServiceOptions, start: () => Promise<RunningService>): Promise<void> => {
  let service: RunningService;
  try {
    service = await start();
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`${options.name}: ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    process.stderr.write(`${options.name}: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  }
  let stopping = false;
  const shutdown = (reason: string): void => {
    if (stopping) return;
    stopping = true;
    const timer = setTimeout(() => {
      process.stderr.write(`${options.name}: did not stop within ${options.stopTimeoutMs ?? 10_000} ms after ${reason}; exiting\n`);
      process.exit(1);
    }, options.stopTimeoutMs ?? 10_000);
    timer.unref();
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`${options.name}: error while stopping: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  // Spawned with an IPC channel (pnpm start does): if the parent dies, even by SIGKILL, stop too.
  if (process.send !== undefined) process.on('disconnect', () => shutdown('parent disconnected'));
};
