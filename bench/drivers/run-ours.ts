/**
 * The measured part of the "ours" export drivers (bench/drivers/export-ours.ts, bench/pacing/driver-ours.ts): they
 * differ only in how the client is built. Exports the interval with QualityExporter (timed from the first request,
 * the token call included, as the official loop's login is), closes the client and prints one JSON line on stdout:
 * { side: 'ours', ids, wallMs, requests, rateLimited, retries, error }.
 */
import { QualityExporter, type GenesysClient } from '../../src/index';

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
