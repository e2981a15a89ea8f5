// The shared life cycle of a service process (api, worker, projector): load configuration (a bad value
// stops start-up with a message naming the variable), start, then stop cleanly on SIGINT/SIGTERM, or when
// the parent that spawned it over IPC goes away, so no process is left behind. An error nothing handled (a
// promise a library let go, an 'error' event with no listener) is never left to kill the process mid-write:
// while running it is reported and stops the service cleanly with exit code 1; while stopping (the database
// going away with the host, say) it is reported and the stop goes on.

import { ConfigurationError } from './configuration-error.js';

export interface RunningService {
  stop(): Promise<void>;
  /** Resolves, with the reason, if the service ends by itself (a job runner that gave up): the process then stops, exit code 1. */
  readonly ended?: Promise<unknown>;
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
  let exitCode = 0;
  const shutdown = (reason: string): void => {
    if (stopping) return;
    stopping = true;
    const timer = setTimeout(() => {
      process.stderr.write(`${options.name}: did not stop within ${options.stopTimeoutMs ?? 10_000} ms after ${reason}; exiting\n`);
      process.exit(1);
    }, options.stopTimeoutMs ?? 10_000);
    timer.unref();
    service.stop().then(
      () => process.exit(exitCode),
      (error: unknown) => {
        process.stderr.write(`${options.name}: error while stopping: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  const unhandled = (kind: string) => (error: unknown) => {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    if (stopping) {
      process.stderr.write(`${options.name}: ${kind} while stopping (ignored, the stop goes on): ${error instanceof Error ? error.message : String(error)}\n`);
      return;
    }
    process.stderr.write(`${options.name}: ${kind}; stopping: ${text}\n`);
    exitCode = 1;
    shutdown(kind);
  };
  process.on('unhandledRejection', unhandled('unhandled rejection'));
  process.on('uncaughtException', unhandled('uncaught exception'));
  void service.ended?.then(unhandled('the service ended by itself'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  // Spawned with an IPC channel (pnpm start does): if the parent dies, even by SIGKILL, stop too.
  if (process.send !== undefined) process.on('disconnect', () => shutdown('parent disconnected'));
};
