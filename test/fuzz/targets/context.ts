/**
 * What the fuzz targets run against: a simulated org on 127.0.0.1 that counts every request it receives, a client
 * pointed at it whose fetch also counts (so a request to any other host is seen too), and a temp folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GenesysClient } from '@org/gc-data';
import { createFakeClock, startSimulatedServer, type SimulatedServer } from '@org/gc-data/testing';

export interface FuzzContext {
  url(): string;
  client(): GenesysClient;
  /** A client of the same org on a fake clock whose waits end at once (createFakeClock autoAdvance): for modules that poll. */
  fakeTimeClient(): GenesysClient;
  /** The counting fetch given to every client the targets build. */
  fetch: typeof fetch;
  /** Requests seen so far: by the server, plus any that left through the counting fetch for another host. */
  requests(): number;
  tmp(name: string): string;
  /** An interval inside the simulated org's data. */
  interval: string;
  close(): Promise<void>;
}

/** The org's data ends at this anchor; `interval` is one day inside it. */
const ANCHOR = '2026-01-31T00:00:00Z';

/** A context usable before it is started (targets are declared at import; they call it only when they run). */
export function lazyFuzzContext(): { ctx: FuzzContext; start(): Promise<void> } {
  let live: FuzzContext | undefined;
  const get = (): FuzzContext => {
    if (!live) throw new Error('fuzz context not started');
    return live;
  };
  const ctx: FuzzContext = {
    // Before start() (the coverage test only declares targets): placeholders; nothing is sent or written with them.
    url: () => live?.url() ?? 'http://127.0.0.1:9',
    client: () => get().client(),
    fakeTimeClient: () => get().fakeTimeClient(),
    fetch: ((input: RequestInfo | URL, init?: RequestInit) => get().fetch(input, init)) as typeof fetch,
    requests: () => get().requests(),
    tmp: (name) => live?.tmp(name) ?? join(tmpdir(), 'gc-fuzz-not-started', name),
    interval: INTERVAL,
    close: async () => live?.close(),
  };
  return {
    ctx,
    start: async () => {
      live = await startFuzzContext();
    },
  };
}

const INTERVAL = '2026-01-25T00:00:00Z/2026-01-26T00:00:00Z';

export async function startFuzzContext(): Promise<FuzzContext> {
  const server: SimulatedServer = await startSimulatedServer({
    seed: 18,
    anchor: ANCHOR,
    days: 10,
    conversationsPerDay: 12,
    rateLimit: false,
    tokenRateLimit: false,
    jobs: { queuedMs: 0, pendingMs: 0 },
    transcodingPolls: 0,
  });
  let elsewhere = 0;
  const origin = new URL(server.url).origin;
  const counting = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.origin !== origin) elsewhere++;
    return fetch(input, init);
  }) as typeof fetch;
  // Both clients reach the org through the counting fetch; one waits in real time, the other on a fake clock.
  const options = { clientId: 'sim-client-id', clientSecret: 'sim-client-secret', baseUrl: server.url, authUrl: server.url, fetch: counting, rateLimit: { maxRequestsPerSecond: 1_000 } };
  const client = new GenesysClient(options);
  const fakeTimeClient = new GenesysClient({ ...options, clock: createFakeClock({ autoAdvance: true }) });
  const dir = mkdtempSync(join(tmpdir(), 'gc-fuzz-'));
  return {
    url: () => server.url,
    client: () => client,
    fakeTimeClient: () => fakeTimeClient,
    fetch: counting,
    requests: () => server.org.stats.totalRequests + elsewhere,
    tmp: (name) => join(dir, name),
    interval: INTERVAL,
    close: async () => {
      await client.close();
      await fakeTimeClient.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
