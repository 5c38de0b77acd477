/**
 * 1, 2 and 4 worker processes against one simulated org limited to 50 requests/s (burst 50, 20 ms latency), with
 * and without the shared limiter (`rateLimit.redis`). Without it each worker runs its own local limiter at the full
 * budget; the access token is shared through Redis in both cases, since the platform limits per token and the
 * point is N workers of one OAuth client. Each configuration sends 500 requests in total.
 *
 * Run: REDIS_URL=redis://127.0.0.1:6390 npx tsx bench/multi-worker.ts [--runs N]
 * (without REDIS_URL it starts a private redis-server on a free port, when one is installed).
 */
import { Redis } from 'ioredis';
import { startSimulatedServer } from '../src/testing/index';
import { startPrivateRedis, type PrivateRedis } from '../test/redis/private-redis';
import { combine, startWorkers, type Combined } from '../test/redis/run-workers';
import type { WorkerConfig } from '../test/redis/worker';
import { median, writeResult } from './lib';

const LIMIT = 50;
const WINDOW_MS = 1000;
const TOTAL = 500;
const LATENCY_MS = 20;
const WORKERS = [1, 2, 4];
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 1;

let privateRedis: PrivateRedis | undefined;
let redisUrl = process.env.REDIS_URL ?? '';
if (!redisUrl) {
  privateRedis = await startPrivateRedis();
  redisUrl = privateRedis.url;
}

interface Row extends Combined {
  limiter: 'shared' | 'local';
  /** Wall time over the physical minimum: (requests - burst) / limit. */
  xMinimum: number;
  steadyRateVsLimit: number;
}

async function runOnce(workers: number, mode: 'shared' | 'local', run: number): Promise<Row> {
  const sim = await startSimulatedServer({ seed: 21 + run, rateLimit: { requests: LIMIT, windowMs: WINDOW_MS }, latencyMs: LATENCY_MS });
  const id = `bench-multi-${process.pid}-${workers}-${mode}-${run}`;
  const configs: WorkerConfig[] = Array.from({ length: workers }, (_, i) => ({
    simUrl: sim.url,
    mode,
    redisUrl,
    id,
    requests: Math.floor(TOTAL / workers) + (i < TOTAL % workers ? 1 : 0),
    concurrency: 5,
    requestsPerMinute: LIMIT * 60,
    burst: LIMIT,
    maxConcurrent: 5,
    // Startup (JIT, token) before the clock starts: this measures running workers, not starting ones.
    warmup: true,
  }));
  const running = await startWorkers(configs);
  running.go();
  const reports = await running.reports;
  await sim.close();
  await cleanup(id, sim.url);
  const c = combine(reports, LIMIT, WINDOW_MS);
  const minimumMs = ((c.ok - LIMIT) / LIMIT) * 1000;
  return { limiter: mode, ...c, xMinimum: round(c.wallMs / minimumMs), steadyRateVsLimit: round(c.steadyRate / LIMIT) };
}

async function cleanup(...fragments: string[]): Promise<void> {
  const r = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  for (const f of fragments) {
    const keys = await r.keys(`*${f}*`);
    if (keys.length) await r.del(...keys);
  }
  await r.quit();
}

const rows: Row[] = [];
try {
  for (const workers of WORKERS) {
    for (const mode of ['shared', 'local'] as const) {
      const runs: Row[] = [];
      // Alternating runs would not help here: each configuration owns the machine while it runs.
      for (let i = 0; i < RUNS; i++) runs.push(await runOnce(workers, mode, i));
      const wall = median(runs.map((r) => r.wallMs));
      const row = runs.find((r) => r.wallMs === wall) ?? runs[0]!;
      rows.push(row);
      console.log(
        `${workers} worker(s), ${mode}: ${(row.wallMs / 1000).toFixed(1)} s (${row.xMinimum} x minimum), ` +
          `${row.requestsPerSecond.toFixed(1)} req/s, steady ${row.steadyRate.toFixed(1)}/s, ${row.rateLimited} x 429, ${row.tokensIssued} token(s)`,
      );
    }
  }
} finally {
  await privateRedis?.stop();
}

const four = rows.find((r) => r.workers === 4 && r.limiter === 'shared')!;
const fourLocal = rows.find((r) => r.workers === 4 && r.limiter === 'local')!;
const table = rows.map((r) => ({
  workers: r.workers,
  limiter: r.limiter,
  'wall s': round(r.wallMs / 1000),
  'x minimum': r.xMinimum,
  'requests/s': round(r.requestsPerSecond),
  'steady rate/s': round(r.steadyRate),
  '429s': r.rateLimited,
  '429s after 1st window': r.rateLimitedAfterFirstWindow,
  attempts: r.attempts,
  'tokens minted': r.tokensIssued,
}));
const file = writeResult({
  benchmark: 'multi-worker',
  results: { limit: LIMIT, windowMs: WINDOW_MS, burst: LIMIT, totalRequests: TOTAL, latencyMs: LATENCY_MS, runs: RUNS, minimumMs: ((TOTAL - LIMIT) / LIMIT) * 1000, table, rows },
  targets: [
    { name: '4 workers, shared limiter: 429s after the first window', target: '0', value: four.rateLimitedAfterFirstWindow, met: four.rateLimitedAfterFirstWindow === 0 },
    { name: '4 workers, shared limiter: steady rate / org limit', target: '0.95 - 1.05', value: four.steadyRateVsLimit, met: four.steadyRateVsLimit >= 0.95 && four.steadyRateVsLimit <= 1.05 },
    { name: '4 workers, shared limiter: tokens minted', target: '1', value: four.tokensIssued, met: four.tokensIssued === 1 },
  ],
  reading:
    `4 workers sharing the limiter finish ${TOTAL} requests in ${(four.wallMs / 1000).toFixed(1)} s (${four.xMinimum} x the physical minimum) ` +
    `with ${four.rateLimited} x 429; with a local limiter each they take ${(fourLocal.wallMs / 1000).toFixed(1)} s and earn ${fourLocal.rateLimited} x 429.`,
});
console.table(table);
console.log(`wrote ${file}`);

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
