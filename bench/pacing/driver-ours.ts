/**
 * bench/pacing driver: the quality export with @org/gc-data and default client options (run-ours.ts defaultPacing).
 * Input: JSON in argv[2] ({ url, interval, clientId, clientSecret }). Output: one JSON line on stdout (run-ours.ts).
 */
import { defaultPacing, driverInput, oursClient, runOurs } from '../drivers/run-ours';

const input = driverInput();
const client = oursClient(input, defaultPacing());
await runOurs(client, input.interval);
