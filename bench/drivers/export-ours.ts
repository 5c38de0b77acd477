/**
 * Benchmark driver: export evaluations with @org/gc-data's QualityExporter. Input: JSON in argv[2]
 * ({ url, interval, clientId, clientSecret, requestsPerMinute }). Output: one JSON line on stdout (run-ours.ts).
 */
import { driverInput, oursClient, runOurs, type DriverInput } from './run-ours';

const input = driverInput<DriverInput & { requestsPerMinute: number }>();
const client = oursClient(input, { requestsPerMinute: input.requestsPerMinute, maxConcurrent: 5 });
await runOurs(client, input.interval);
