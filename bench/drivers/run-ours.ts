/**
 * The measured part of the "ours" export drivers (bench/drivers/export-ours.ts, bench/pacing/driver-ours.ts,
 * driver-faults-trace.ts): they differ only in the client's rate-limit options (oursClient). Exports the interval
 * with QualityExporter (timed from the first request, the token call included, as the official loop's login is),
 * closes the client and prints one JSON line on stdout:
 * { side: 'ours', ids, wallMs, requests, rateLimited, retries, error }.
 */
import { GenesysClient, LocalRateLimiter, QualityExporter, type GenesysClientOptions } from '../../src/index';

export interface DriverInput {
  url: string;
  interval: string;
  clientId: string;
  clientSecret: string;
}

/** The driver's input: JSON in argv[2]. */
export function driverInput<T extends DriverInput>(): T {
  return JSON.parse(process.argv[2] ?? '{}') as T;
}

/** The client a driver exports with, on the org at `input.url`; `rateLimit` is what the driver compares. */
export function oursClient(input: DriverInput, rateLimit: GenesysClientOptions['rateLimit']): GenesysClient {
  return new GenesysClient({ clientId: input.clientId, clientSecret: input.clientSecret, baseUrl: input.url, authUrl: input.url, rateLimit });
}

/**
 * Default client options as the client wires them once issue 19's options are in (300/min and burst 300 as defaults
 * that give way to the server's announced budget, a 20 requests/s ceiling while the server announces nothing, 5 at once).
 */
export function defaultPacing(): GenesysClientOptions['rateLimit'] {
  return { limiter: new LocalRateLimiter({ requestsPerMinute: 300, maxConcurrent: 5, serverGoverns: true, maxRequestsPerSecond: 20 }) };
}

export async function runOurs(client: GenesysClient, interval: string): Promise<void> {
  const ids: string[] = [];
  let error: string | undefined;
  const started = performance.now();
  try {
    const exporter = new QualityExporter(client, { calibrations: 'exclude' });
    for await (const row of exporter.rows({ interval })) ids.push(row.evaluation_id ?? '');
  } catch (e) {
    error = `${(e as Error).name}: ${(e as Error).message}`;
  }
  const wallMs = performance.now() - started;
  const s = client.stats();
  await client.close();
  process.stdout.write(JSON.stringify({ side: 'ours', ids, wallMs, requests: s.requests, rateLimited: s.rateLimited, retries: s.retries, error }) + '\n');
}
