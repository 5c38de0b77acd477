/**
 * Shared by the examples: a GenesysClient for your org when credentials are in the environment, else one for the
 * simulated org started on 127.0.0.1 (so every example runs on a fresh clone with no setup).
 *
 *   GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET   the OAuth client (client credentials grant)
 *   GENESYS_REGION                             e.g. eu_west_1 or mypurecloud.ie (default us_east_1)
 *   GENESYS_BASE_URL + GENESYS_AUTH_URL        instead of a region: a gateway, or `gc-data simulate`
 *   EXAMPLES_OUT_DIR                           where examples write (default out/examples)
 */
import { join } from 'node:path';
import { GenesysClient, type GenesysClientOptions } from '@org/gc-data';
import { connectSimulated, type SimulatedServerOptions } from '@org/gc-data/testing';

export interface Connection {
  client: GenesysClient;
  /** True when no credentials were set and the simulated org is serving. */
  simulated: boolean;
  /** `simulated org` or the API origin. */
  target: string;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** Options of the simulated org (ignored with real credentials). */
  simulated?: SimulatedServerOptions;
  /** Client options added in both cases (retry, rateLimit, ...). */
  client?: Partial<GenesysClientOptions>;
}

export async function connect(options: ConnectOptions = {}): Promise<Connection> {
  const env = process.env;
  const clientId = env.GENESYS_CLIENT_ID;
  const clientSecret = env.GENESYS_CLIENT_SECRET;
  if (clientId && clientSecret) {
    const where =
      env.GENESYS_BASE_URL || env.GENESYS_AUTH_URL
        ? { baseUrl: env.GENESYS_BASE_URL, authUrl: env.GENESYS_AUTH_URL }
        : { region: env.GENESYS_REGION ?? 'us_east_1' };
    const client = new GenesysClient({ clientId, clientSecret, ...where, ...options.client });
    return { client, simulated: false, target: client.apiBaseUrl, close: () => client.close() };
  }
  if (clientId || clientSecret) throw new Error('Set both GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET, or neither (simulated org).');

  // The simulated org allows 50 requests/s (the platform's default is 300/min): examples finish in seconds.
  const sim = await connectSimulated({
    server: { rateLimit: { requests: 3000, windowMs: 60_000 }, ...options.simulated },
    client: { ...options.client, rateLimit: { requestsPerMinute: 3000, ...options.client?.rateLimit } },
  });
  process.stderr.write(`[example] no GENESYS_CLIENT_ID/GENESYS_CLIENT_SECRET: using the simulated org at ${sim.server.url}\n`);
  return { client: sim.client, simulated: true, target: 'simulated org', close: sim.close };
}

/** `out/examples/<name>` (or `$EXAMPLES_OUT_DIR/<name>`). */
export function outDir(name: string): string {
  return join(process.env.EXAMPLES_OUT_DIR ?? join('out', 'examples'), name);
}

/** Prints `label  value` lines, aligned. */
export function report(title: string, lines: Array<[string, string | number]>): void {
  const width = Math.max(...lines.map(([k]) => k.length));
  console.log(title);
  for (const [k, v] of lines) console.log(`  ${k.padEnd(width)}  ${v}`);
}
