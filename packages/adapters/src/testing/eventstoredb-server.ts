// An EventStoreDB server for tests: EVENTSTORE_URL when set, else a container through testcontainers where a
// container runtime answers; otherwise the reason there is none, for the suite to print as it skips.

export type EventStoreDbServer = { readonly kind: 'server'; readonly url: string; stop(): Promise<void> } | { readonly kind: 'none'; readonly reason: string };

export const findEventStoreDbServer = async (): Promise<EventStoreDbServer> => {
  const url = process.env.EVENTSTORE_URL;
  if (url) return { kind: 'server', url, stop: async () => undefined };
  try {
    // Imported lazily: without a container runtime it rejects fast, and 12.x crashes on import under Node 20.
    const { GenericContainer, Wait } = await import('testcontainers');
    const container = await new GenericContainer('eventstore/eventstore:24.10')
      .withEnvironment({ EVENTSTORE_INSECURE: 'true', EVENTSTORE_RUN_PROJECTIONS: 'None', EVENTSTORE_MEM_DB: 'true' })
      .withExposedPorts(2113)
      .withWaitStrategy(Wait.forLogMessage(/IS LEADER/))
      .start();
    return {
      kind: 'server',
      url: `esdb://${container.getHost()}:${container.getMappedPort(2113)}?tls=false`,
      stop: async () => void (await container.stop()),
    };
  } catch (error) {
    return { kind: 'none', reason: `no EVENTSTORE_URL and no container runtime (${(error as Error).message.split('\n')[0]})` };
  }
};
