/**
 * Issue 19's faults run on real time: the quality export of about 500 evaluations against the simulated server
 * (50 requests/s, a bucket of 50 full at the start, 10 ms latency) with 5% 5xx and 2% dropped connections, default
 * client options (bench/pacing/driver-ours.ts), clean and faulty runs alternating; timed at the server from the
 * first API request to the last answer, against the bucket's floor. The deterministic fake-time version of the same
 * run is test/pacing/faults.test.ts. Run: npx tsx bench/pacing/faults.ts [runs=5]. Writes bench/results/pacing-faults.json.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createSimulatedOrg, startSimulatedServer, type SimulatedOrgOptions } from '../../src/testing/index';
import { median, writeResult } from '../lib';
import { floorMs } from './floor';

const run = promisify(execFile);
const RUNS = Number(process.argv[2] ?? 5);
const RATE_LIMIT = { requests: 50, windowMs: 1000, burst: 50 };
const BASE: SimulatedOrgOptions = { seed: 42, anchor: '2026-06-01T00:00:00Z', latencyMs: 10, rateLimit: RATE_LIMIT };
const FAULTS = { serverErrorRate: 0.05, connectionResetRate: 0.02 };
const TARGET_ROWS = 500;

function chooseInterval() {
  const org = createSimulatedOrg(BASE);
  const all = org.truth.evaluations({ interval: { start: org.data.start, end: org.data.end }, status: ['FINISHED'], calibrations: 'exclude' });
  const interval = `${new Date(org.data.start).toISOString()}/${all[TARGET_ROWS]!.conversationStart}`;
  const expected = org.truth.evaluations({ interval, status: ['FINISHED'], calibrations: 'exclude' }).map((e) => e.evaluationId);
  const conversations = org.truth.conversations({ interval, filters: { evaluationFilters: [{ type: 'and', predicates: [{ dimension: 'evaluationStatus', value: 'Finished' }] }] } });
  return { interval, expected, needed: Math.max(1, Math.ceil(conversations.length / 100)) + expected.length };
}

async function once(faults: boolean, interval: string) {
  const server = await startSimulatedServer({ ...BASE, ...(faults ? { faults: FAULTS } : {}) });
  const org = server.org;
  const handle = org.handle.bind(org);
  let first = 0;
  let last = 0;
  let firstGet = 0;
  let firstAnswered = 0;
  org.handle = async (request: Request) => {
    const path = new URL(request.url).pathname;
    const api = path.startsWith('/api/v2/');
    if (api && first === 0) first = performance.now();
    if (firstGet === 0 && path.startsWith('/api/v2/quality/')) firstGet = performance.now();
    try {
      return await handle(request);
    } finally {
      if (api) last = performance.now();
      if (api && firstAnswered === 0) firstAnswered = performance.now();
    }
  };
  try {
    const driver = fileURLToPath(new URL('./driver-ours.ts', import.meta.url));
    const input = JSON.stringify({ url: server.url, interval, clientId: org.options.clientId, clientSecret: org.options.clientSecret });
    const { stdout } = await run(process.execPath, ['--import', 'tsx', driver, input], { maxBuffer: 64 * 1024 * 1024, timeout: 900_000 });
    const result = JSON.parse(stdout.trim().split('\n').pop()!) as { ids: string[]; error?: string };
    return { result, spanMs: last - first, startGapMs: firstGet - first, firstPageServerMs: firstAnswered - first, requests: server.stats.totalRequests - server.stats.tokensIssued, rateLimited: server.stats.bucketEmptyArrivals };
  } finally {
    await server.close();
  }
}

const { interval, expected, needed } = chooseInterval();
const floor = floorMs(RATE_LIMIT, needed, 0);
const want = new Set(expected);
const sides = { clean: [] as Array<Record<string, number | boolean>>, faults: [] as Array<Record<string, number | boolean>> };
for (let i = 0; i < RUNS; i++) {
  for (const side of i % 2 === 0 ? (['clean', 'faults'] as const) : (['faults', 'clean'] as const)) {
    const r = await once(side === 'faults', interval);
    const unique = new Set(r.result.ids);
    const row = {
      ratio: Math.round((r.spanMs / floor) * 1000) / 1000,
      wastedRatio: Math.round(((r.requests - RATE_LIMIT.burst) / (needed - RATE_LIMIT.burst)) * 1000) / 1000,
      startGapMs: Math.round(r.startGapMs),
      firstPageServerMs: Math.round(r.firstPageServerMs),
      requests: r.requests,
      r429: r.rateLimited,
      correct: !r.result.error && unique.size === want.size && r.result.ids.length === unique.size && [...unique].every((id) => want.has(id)),
    };
    sides[side].push(row);
    process.stderr.write(`${side} run ${i + 1}: ${JSON.stringify(row)}${r.result.error ? ` ERROR ${r.result.error}` : ''}\n`);
  }
}
const sum = (rs: Array<Record<string, number | boolean>>) => {
  const n = (k: string) => rs.map((r) => Number(r[k]));
  return {
    ratioMedian: median(n('ratio')),
    ratioMin: Math.min(...n('ratio')),
    ratioMax: Math.max(...n('ratio')),
    wastedRatioMedian: median(n('wastedRatio')),
    startGapMsMedian: median(n('startGapMs')),
    startGapMsMax: Math.max(...n('startGapMs')),
    firstPageServerMsMedian: median(n('firstPageServerMs')),
    r429Max: Math.max(...n('r429')),
    allCorrect: rs.every((r) => r.correct === true),
    runs: rs,
  };
};
const clean = sum(sides.clean);
const faulty = sum(sides.faults);
const file = writeResult({
  benchmark: 'pacing-faults',
  results: { interval, needed, floorMs: floor, latencyMs: BASE.latencyMs, rateLimit: RATE_LIMIT, faults: FAULTS, runs: RUNS, clean, faulty },
  targets: [
    { name: 'ours under 5% 5xx + 2% resets, x floor (median)', target: '<= 1.30', value: faulty.ratioMedian, met: faulty.ratioMedian <= 1.3 },
    { name: 'ours under faults: every row exactly once, all runs', target: 'all runs', value: faulty.allCorrect ? 1 : 0, met: faulty.allCorrect },
  ],
  reading:
    `Under 5% 5xx + 2% dropped connections ours takes ${faulty.ratioMedian} x the floor (${faulty.ratioMin}-${faulty.ratioMax}, ${RUNS} runs), ` +
    `where the wasted requests explain ${faulty.wastedRatioMedian} x; clean ${clean.ratioMedian} x (${clean.ratioMin}-${clean.ratioMax}). ` +
    `First evaluation GET ${clean.startGapMsMedian} ms (median, max ${clean.startGapMsMax}) after the first discovery request, ` +
    `of which the server took ${clean.firstPageServerMsMedian} ms to answer it.`,
});
console.log(`wrote ${file}`);
