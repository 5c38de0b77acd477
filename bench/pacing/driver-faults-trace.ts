/**
 * bench/pacing/faults-trace.ts' client: driver-ours.ts (default client options) with the client's typed events
 * (request, response, retry, rateLimit) recorded with their time from the driver's start. Input: JSON in argv[2]
 * ({ url, interval, clientId, clientSecret, traceFile }). Writes the events as JSON to `traceFile` and the usual
 * result line on stdout (bench/drivers/run-ours.ts). Diagnostic only: public events, no private members.
 */
import { writeFileSync } from 'node:fs';
import { defaultPacing, driverInput, oursClient, runOurs, type DriverInput } from '../drivers/run-ours';

const input = driverInput<DriverInput & { traceFile: string }>();
const client = oursClient(input, defaultPacing());
const t0 = performance.now();
const events: Array<Record<string, unknown>> = [];
for (const name of ['request', 'response', 'retry', 'rateLimit'] as const) {
  client.on(name, (e: object) => {
    const { rateLimit: _omit, ...rest } = e as Record<string, unknown>;
    events.push({ t: Math.round((performance.now() - t0) * 10) / 10, event: name, ...rest });
  });
}
await runOurs(client, input.interval);
writeFileSync(input.traceFile, JSON.stringify(events));
