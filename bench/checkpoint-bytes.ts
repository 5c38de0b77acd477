/**
 * Bytes written to a QualityExporter checkpoint file while exporting ~100,000 evaluations (issue 17 section 4).
 *
 * The export runs against the simulated org over HTTP on 127.0.0.1 (no rate limit, `strategy: 'search'` so the
 * 100k rows need ~1,000 requests, not 100k GETs); rows go to a sink that only counts them. The checkpoint is a real
 * `FileCheckpoint` (atomic write + fsync) in a temporary directory (on /dev/shm when there is one); after every `save()` the file's size is added
 * up, so the figure is the bytes the SDK wrote to checkpoint files, not an estimate. `checkpointEvery` is the
 * default (100). Run: npx tsx bench/checkpoint-bytes.ts [evaluations]  (writes bench/results/checkpoint-bytes.json)
 *
 * bench/baselines/checkpoint-bytes-before.json is this script's output on the code before issue 17's runner
 * (commit 3a1a569, when the state listed every evaluation id written); the result compares against it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GenesysClient, QualityExporter, type RowSink, type ScorecardRow } from '@org/gc-data';
import { FileCheckpoint } from '@org/gc-data/sinks';
import { createSimulatedOrg, startSimulatedServer, type SimulatedOrgOptions } from '../src/testing/index';
import { writeResult, type BenchResult } from './lib';

const WANTED = Number(process.argv[2] ?? 100_000);
const ANCHOR = '2026-06-01T00:00:00Z';
const DAYS = 10;

/** One evaluation per conversation, no calibrations: conversations sized so about WANTED are FINISHED. */
function org(conversations: number): SimulatedOrgOptions {
  return {
    seed: 7,
    anchor: ANCHOR,
    days: DAYS,
    conversations,
    evaluatedShare: 1,
    evaluationsPerConversation: 1,
    calibrationShare: 0,
    rateLimit: false,
    tokenRateLimit: false,
  };
}

const interval = `${new Date(Date.parse(ANCHOR) - DAYS * 86_400_000).toISOString()}/${ANCHOR}`;
const finishedOf = (n: number) => createSimulatedOrg(org(n)).truth.evaluations({ interval, status: ['FINISHED'], calibrations: 'exclude' }).length;
const probe = 20_000;
const share = finishedOf(probe) / probe;
const conversations = Math.round(WANTED / share);
const expected = finishedOf(conversations);

const server = await startSimulatedServer(org(conversations));
// tmpfs where there is one: the figure is bytes, and 2 GB of fsynced writes (before) need not load a shared disk.
const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'gc-cp-bytes-'));
try {
  const path = join(dir, 'checkpoint.json');
  const file = new FileCheckpoint<never>(path, { kind: 'quality-export' });
  let saves = 0;
  let bytes = 0;
  let largest = 0;
  // Counts what reached the file: the size after each save (each save rewrites the whole file).
  const checkpoint = {
    load: () => file.load(),
    clear: () => file.clear(),
    async save(state: never) {
      await file.save(state);
      const size = statSync(path).size;
      saves++;
      bytes += size;
      largest = Math.max(largest, size);
    },
  };
  let rows = 0;
  const sink: RowSink<ScorecardRow> = {
    async write() {
      rows++;
    },
    async flush() {},
    async close() {},
    get rowsWritten() {
      return rows;
    },
  };
  const client = new GenesysClient({
    clientId: server.org.options.clientId,
    clientSecret: server.org.options.clientSecret,
    baseUrl: server.url,
    authUrl: server.url,
    // No rate limit on this org: lift the client's ceiling (20/s until a server announces a budget).
    rateLimit: { maxRequestsPerSecond: 100_000 },
  });
  const started = performance.now();
  const summary = await new QualityExporter(client, { strategy: 'search' }).exportTo(sink, { interval, checkpoint: checkpoint as never });
  const wallMs = Math.round(performance.now() - started);
  await client.close();
  const mib = Math.round((bytes / 2 ** 20) * 10) / 10;
  const result = { evaluations: summary.rows, expected, saves, bytesWritten: bytes, mibWritten: mib, largestFileBytes: largest, bytesPerRow: Math.round((bytes / Math.max(summary.rows, 1)) * 10) / 10, wallMs };
  process.stderr.write(`${JSON.stringify(result)}\n`);
  const baselinePath = join(dirname(fileURLToPath(import.meta.url)), 'baselines', 'checkpoint-bytes-before.json');
  const before = existsSync(baselinePath) ? ((JSON.parse(readFileSync(baselinePath, 'utf8')) as BenchResult).results as typeof result & { evaluations: number }) : undefined;
  const ratio = before ? Math.round((before.bytesWritten / Math.max(bytes, 1)) * 10) / 10 : 0;
  const out = writeResult({
    benchmark: 'checkpoint-bytes',
    results: { interval, strategy: 'search', checkpointEvery: 100, ...result, before: before ?? null, reduction: ratio },
    targets: [
      { name: 'rows exported = rows expected', target: `${expected}`, value: summary.rows, met: summary.rows === expected },
      { name: 'checkpoint bytes: before / after', target: '>= 100 x', value: ratio, met: ratio >= 100 },
      // Per-page progress: a save holds the page in flight, whatever the export's size.
      { name: 'largest checkpoint file (bytes)', target: '<= 32768', value: largest, met: largest <= 32_768 },
    ],
    reading:
      `Exporting ${summary.rows} evaluations wrote ${mib} MiB to the checkpoint file in ${saves} saves (largest file ${largest} bytes)` +
      (before ? `; before issue 17's runner the same export wrote ${before.mibWritten} MiB (largest file ${before.largestFileBytes} bytes): ${ratio} x less.` : '.'),
  });
  console.log(`wrote ${out}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  await server.close();
}
