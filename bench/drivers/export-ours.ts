/**
 * Benchmark driver: export evaluations with @org/gc-data's QualityExporter. Input: JSON in argv[2]
 * ({ url, interval, clientId, clientSecret, requestsPerMinute }). Output: one JSON line on stdout (run-ours.ts).
 */
import { GenesysClient } from '../../src/index';
import { driverInput, runOurs, type DriverInput } from './run-ours';

const input = driverInput<DriverInput & { requestsPerMinute: number }>();
const client = new GenesysClient({
  clientId: input.clientId,
  clientSecret: input.clientSecret,
  baseUrl: input.url,
  authUrl: input.url,
  rateLimit: { requestsPerMinute: input.requestsPerMinute, maxConcurrent: 5 },
});
await runOurs(client, input.interval);
