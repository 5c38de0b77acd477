/**
 * Benchmark driver: export evaluations with @org/gc-data's QualityExporter. Input: JSON in argv[2]
 * ({ url, interval, clientId, clientSecret, requestsPerMinute }). Output: one JSON line on stdout.
 */
import { GenesysClient, QualityExporter } from '../../src/index';

const input = JSON.parse(process.argv[2] ?? '{}') as { url: string; interval: string; clientId: string; clientSecret: string; requestsPerMinute: number };
const client = new GenesysClient({
  clientId: input.clientId,
  clientSecret: input.clientSecret,
  baseUrl: input.url,
  authUrl: input.url,
  rateLimit: { requestsPerMinute: input.requestsPerMinute, maxConcurrent: 5 },
});
const ids: string[] = [];
const started = performance.now();
let error: string | undefined;
try {
  const exporter = new QualityExporter(client, { calibrations: 'exclude' });
  for await (const row of exporter.rows({ interval: input.interval })) ids.push(row.evaluation_id ?? '');
} catch (e) {
  error = `${(e as Error).name}: ${(e as Error).message}`;
}
const wallMs = performance.now() - started;
const s = client.stats();
await client.close();
process.stdout.write(
  JSON.stringify({ side: 'ours', ids, wallMs, requests: s.requests, rateLimited: s.rateLimited, retries: s.retries, error }) + '\n',
);
