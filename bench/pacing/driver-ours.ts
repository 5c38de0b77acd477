/**
 * bench/pacing driver: the quality export with @org/gc-data and default client options as the client wires them
 * once issue 19's options are in (300/min and burst 300 as defaults that give way to the server's announced budget,
 * a 20 requests/s ceiling while the server announces nothing, 5 at once). Input: JSON in argv[2]
 * ({ url, interval, clientId, clientSecret }). Output: one JSON line on stdout (bench/drivers/run-ours.ts).
 */
import { GenesysClient, LocalRateLimiter } from '../../src/index';
import { driverInput, runOurs } from '../drivers/run-ours';

const input = driverInput();
const client = new GenesysClient({
  clientId: input.clientId,
  clientSecret: input.clientSecret,
  baseUrl: input.url,
  authUrl: input.url,
  rateLimit: { limiter: new LocalRateLimiter({ requestsPerMinute: 300, maxConcurrent: 5, serverGoverns: true, maxRequestsPerSecond: 20 }) },
});
await runOurs(client, input.interval);
