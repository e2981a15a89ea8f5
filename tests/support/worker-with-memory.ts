// The worker's entry point with its memory reported to the parent (a bench or a test, over IPC, every
// WORKER_MEMORY_SAMPLE_MS), so the worker-memory bench sees heap as well as RSS.

const sampleMs = Number(process.env.WORKER_MEMORY_SAMPLE_MS ?? 250);
const started = performance.now();
const report = () => {
  const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
  process.send?.({ atMs: Math.round(performance.now() - started), rss, heapUsed, heapTotal, external });
};
setInterval(report, sampleMs).unref();
report();

await import('../../apps/worker/src/main.js');

export {};
