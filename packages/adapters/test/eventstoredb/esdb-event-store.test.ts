// EventStoreDB: the shared contract runs when a server is reachable (EVENTSTORE_URL, or a container started
// through testcontainers); otherwise it reports itself skipped, with the reason. The timeout guard around
// first calls is tested always, against endpoints that refuse or never speak gRPC.

import { randomUUID } from 'node:crypto';
import { type Server, createServer } from 'node:net';
import { EventStoreUnavailableError } from '@qbo-sync/domain';
import { afterAll, describe, expect, it } from 'vitest';
import { createEsdbEventStore } from '../../src/eventstoredb/esdb-event-store.js';
import { freePort } from '../../src/postgres/embedded-postgres-server.js';
import { findEventStoreDbServer } from '../../src/testing/eventstoredb-server.js';
import { describeEventStoreContract } from '../support/event-store-contract.js';

const target = await findEventStoreDbServer();

if (target.kind === 'none') {
  console.warn(`EventStoreDB contract suite skipped: ${target.reason}`);
  describe('event store contract: eventstoredb', () => {
    it.skip(`skipped: ${target.reason}`, () => undefined);
  });
} else {
  describeEventStoreContract('eventstoredb', { atomicMultiStreamAppend: false }, async () => {
    const store = createEsdbEventStore({ connectionString: target.url });
    return {
      store,
      globallyUniqueEventIds: false,
      teardown: async () => {
        await store.close();
        await target.stop();
      },
    };
  });
}

describe('EventStoreDB adapter guard', () => {
  const servers: Server[] = [];
  afterAll(() => servers.forEach((server) => server.close()));

  const event = () => ({
    id: randomUUID(),
    type: 'Probe',
    data: {},
    metadata: {
      tenantId: 't',
      correlationId: 'c',
      causationId: null,
      actor: { type: 'system' as const, id: 'test' },
      schemaVersion: 1,
    },
  });

  it('reports a refused connection as unavailable, quickly', async () => {
    const port = await freePort();
    const store = createEsdbEventStore({ connectionString: `esdb://127.0.0.1:${port}?tls=false`, timeoutMs: 3_000 });
    const started = Date.now();
    await expect(store.appendToStream('probe-1', [event()])).rejects.toBeInstanceOf(EventStoreUnavailableError);
    expect(Date.now() - started).toBeLessThan(5_000);
    await store.close();
  });

  it('times out against an endpoint that accepts connections but never speaks gRPC', async () => {
    const silent = createServer(() => undefined);
    servers.push(silent);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const store = createEsdbEventStore({ connectionString: `esdb://127.0.0.1:${port}?tls=false`, timeoutMs: 500 });
    const started = Date.now();
    const error = await store.readStream('probe-1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EventStoreUnavailableError);
    expect((error as Error).message).toMatch(/did not answer reading probe-1 within 500 ms/);
    expect(Date.now() - started).toBeLessThan(3_000);
    void store.close();
  });

  it('guards multi-stream appends and reads the same way, call by call', async () => {
    const silent = createServer(() => undefined);
    servers.push(silent);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const store = createEsdbEventStore({ connectionString: `esdb://127.0.0.1:${port}?tls=false`, timeoutMs: 500 });
    const started = Date.now();
    const appending = await store
      .appendToStreams([
        { streamName: 'probe-1', events: [event()], expectedRevision: 'any' },
        { streamName: 'probe-2', events: [event()], expectedRevision: 'any' },
      ])
      .catch((caught: unknown) => caught);
    expect(appending).toBeInstanceOf(EventStoreUnavailableError);
    // The first stream's call times out and the second is never tried.
    expect((appending as Error).message).toMatch(/did not answer appending to probe-1 within 500 ms/);
    const reading = await store.readStreams(['probe-1', 'probe-2']).catch((caught: unknown) => caught);
    expect(reading).toBeInstanceOf(EventStoreUnavailableError);
    expect(Date.now() - started).toBeLessThan(4_000);
    void store.close();
  });

  it('guards a subscription the same way before it starts waiting for events', async () => {
    const silent = createServer(() => undefined);
    servers.push(silent);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const store = createEsdbEventStore({ connectionString: `esdb://127.0.0.1:${port}?tls=false`, timeoutMs: 500 });
    const iterator = store.subscribe({ from: 'start' })[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    void store.close();
  });
});
