/**
 * bench/pacing driver: the quality export with @org/gc-data and default client options as the client wires them
 * once issue 19's options are in (300/min and burst 300 as defaults that give way to the server's announced budget,
 * a 20 requests/s ceiling while the server announces nothing, 5 at once). Input: JSON in argv[2]
 * ({ url, interval, clientId, clientSecret }). Output: one JSON line on stdout.
 */
import { GenesysClient, LocalRateLimiter, QualityExporter } from '../../src/index';

const input = JSON.parse(process.argv[2] ?? '{}') as { url: string; interval: string; clientId: string; clientSecret: string };
const client = new GenesysClient({
  clientId: input.clientId,
  clientSecret: input.clientSecret,
  baseUrl: input.url,
  authUrl: input.url,
  rateLimit: { limiter: new LocalRateLimiter({ requestsPerMinute: 300, maxConcurrent: 5, serverGoverns: true, maxRequestsPerSecond: 20 }) },
});
const ids: string[] = [];
let error: string | undefined;
// Timed with the token call, as the official loop's login is.
const started = performance.now();
try {
  const exporter = new QualityExporter(client, { calibrations: 'exclude' });
  for await (const row of exporter.rows({ interval: input.interval })) ids.push(row.evaluation_id ?? '');
} catch (e) {
  error = `${(e as Error).name}: ${(e as Error).message}`;
}
const wallMs = performance.now() - started;
const s = client.stats();
await client.close();
process.stdout.write(JSON.stringify({ side: 'ours', ids, wallMs, requests: s.requests, rateLimited: s.rateLimited, error }) + '\n');
