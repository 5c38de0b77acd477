/**
 * Quality export, ours vs the official SDK driven the way seed 001 suggests, on the same simulated org
 * (50 requests/s per token, a bucket of 50 that starts full), alternating A B A B, 5 runs each:
 *   1. clean: wall time vs the token-bucket floor, requests sent vs needed, 429s, rows correct;
 *   2. the same with 5% injected 5xx and 5% connection resets: completed? rows correct? duplicates?
 * Plus `flattenScorecard` rows/s on real simulator evaluations. Run: npx tsx bench/quality.ts [runs]
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { flattenScorecard } from '@org/gc-data/rows';
import { createSimulatedOrg, startSimulatedServer, type SimulatedOrgOptions } from '../src/testing/index';
import { median, writeResult } from './lib';

const run = promisify(execFile);
const RUNS = Number(process.argv[2] ?? 5);
const RATE = 50;
const BURST = 50;
const TARGET_ROWS = 500;
const ORG: SimulatedOrgOptions = { seed: 42, anchor: '2026-06-01T00:00:00Z', rateLimit: { requests: RATE, windowMs: 1000, burst: BURST } };

interface DriverResult {
  side: 'ours' | 'official';
  ids: string[];
  wallMs: number;
  requests: number;
  rateLimited: number;
  errors?: number;
  error?: string;
}

/** The interval from the dataset's start to just after the TARGET_ROWS-th exported evaluation. */
function chooseInterval() {
  const org = createSimulatedOrg(ORG);
  const all = org.truth.evaluations({ interval: { start: org.data.start, end: org.data.end }, status: ['FINISHED'], calibrations: 'exclude' });
  const cut = all[TARGET_ROWS]!;
  const interval = `${new Date(org.data.start).toISOString()}/${cut.conversationStart}`;
  const expected = org.truth.evaluations({ interval, status: ['FINISHED'], calibrations: 'exclude' }).map((e) => e.evaluationId);
  const conversations = org.truth.conversations({ interval, filters: { evaluationFilters: [{ type: 'and', predicates: [{ dimension: 'evaluationStatus', value: 'Finished' }] }] } });
  // The details query answers totalHits on the first page, so a client that reads it knows the page count and
  // never needs the empty page after an exactly full last page.
  const pages = Math.max(1, Math.ceil(conversations.length / 100));
  return { interval, expected, pages };
}

async function once(side: 'ours' | 'official', interval: string, faults: SimulatedOrgOptions['faults']) {
  const server = await startSimulatedServer({ ...ORG, ...(faults ? { faults } : {}) });
  try {
    const driver = fileURLToPath(new URL(`./drivers/export-${side}.ts`, import.meta.url));
    const input = JSON.stringify({ url: server.url, interval, clientId: server.org.options.clientId, clientSecret: server.org.options.clientSecret, requestsPerMinute: RATE * 60 });
    const { stdout } = await run(process.execPath, ['--import', 'tsx', driver, input], { maxBuffer: 64 * 1024 * 1024, timeout: 300_000 });
    const result = JSON.parse(stdout.trim().split('\n').pop()!) as DriverResult;
    return { result, serverRequests: server.stats.totalRequests - server.stats.tokensIssued, bucketEmpty: server.stats.bucketEmptyArrivals };
  } finally {
    await server.close();
  }
}

async function workload(name: string, interval: string, expected: string[], needed: number, faults?: SimulatedOrgOptions['faults']) {
  const floorMs = ((needed - BURST) / RATE) * 1000;
  const want = new Set(expected);
  const runs: Record<'ours' | 'official', Array<Record<string, number | boolean | string | undefined>>> = { ours: [], official: [] };
  for (let i = 0; i < RUNS; i++) {
    for (const side of i % 2 === 0 ? (['ours', 'official'] as const) : (['official', 'ours'] as const)) {
      const { result, serverRequests, bucketEmpty } = await once(side, interval, faults);
      const unique = new Set(result.ids);
      runs[side].push({
        wallMs: Math.round(result.wallMs),
        ratioToFloor: Math.round((result.wallMs / floorMs) * 1000) / 1000,
        requests: serverRequests,
        wasted: serverRequests - needed,
        rateLimited429: bucketEmpty + (result.rateLimited - bucketEmpty > 0 ? result.rateLimited - bucketEmpty : 0),
        rows: result.ids.length,
        duplicates: result.ids.length - unique.size,
        rowsCorrect: unique.size === want.size && [...unique].every((id) => want.has(id)) && result.ids.length === unique.size,
        completed: result.error === undefined,
        error: result.error,
      });
      process.stderr.write(`${name} run ${i + 1} ${side}: ${JSON.stringify(runs[side].at(-1))}\n`);
    }
  }
  const summarize = (rs: typeof runs.ours) => {
    const nums = (k: string) => rs.map((r) => Number(r[k]));
    return {
      wallMsMedian: median(nums('wallMs')),
      wallMsMin: Math.min(...nums('wallMs')),
      wallMsMax: Math.max(...nums('wallMs')),
      ratioToFloorMedian: median(nums('ratioToFloor')),
      requestsMedian: median(nums('requests')),
      wastedMedian: median(nums('wasted')),
      rateLimited429Median: median(nums('rateLimited429')),
      duplicatesMax: Math.max(...nums('duplicates')),
      allRowsCorrect: rs.every((r) => r.rowsCorrect === true),
      allCompleted: rs.every((r) => r.completed === true),
      runs: rs,
    };
  };
  return { name, faults: faults ?? null, needed, floorMs: Math.round(floorMs), ours: summarize(runs.ours), official: summarize(runs.official) };
}

async function flattenThroughput() {
  const org = createSimulatedOrg({ seed: 3 });
  const evaluations: ReturnType<typeof org.data.evaluations> = [];
  for (let i = 0; evaluations.length < 2000 && i < org.data.size; i++) evaluations.push(...org.data.evaluations(i));
  const measure = (opts: Parameters<typeof flattenScorecard>[1]) => {
    const n = 200_000;
    const t = performance.now();
    let sink = 0;
    for (let i = 0; i < n; i++) sink += Object.keys(flattenScorecard(evaluations[i % evaluations.length]!, opts)).length;
    if (sink === 0) throw new Error('unreachable');
    return Math.round(n / ((performance.now() - t) / 1000));
  };
  measure(undefined);
  return { default: measure(undefined), rawAnswers: measure({ answersJson: 'raw' }), sample: evaluations.length };
}

const { interval, expected, pages } = chooseInterval();
const needed = pages + expected.length;
const clean = await workload('clean', interval, expected, needed);
const faulty = await workload('faults', interval, expected, needed, { serverErrorRate: 0.05, connectionResetRate: 0.05 });
const flatten = await flattenThroughput();

const o = clean.ours;
const file = writeResult({
  benchmark: 'quality-export',
  results: { interval, expectedRows: expected.length, rate: `${RATE}/s`, burst: BURST, runs: RUNS, clean, faulty, flattenScorecardRowsPerSecond: flatten },
  targets: [
    { name: 'ours: wall time / floor (clean)', target: '<= 1.10', value: o.ratioToFloorMedian, met: o.ratioToFloorMedian <= 1.1 },
    { name: 'ours: 429s received (clean)', target: '0', value: o.rateLimited429Median, met: o.rateLimited429Median === 0 },
    { name: 'ours: requests wasted (clean)', target: '0', value: o.wastedMedian, met: o.wastedMedian <= 0 },
    { name: 'ours: exactly-once under 5% 5xx + resets', target: 'all runs', value: faulty.ours.allRowsCorrect && faulty.ours.duplicatesMax === 0 ? 1 : 0, met: faulty.ours.allRowsCorrect && faulty.ours.duplicatesMax === 0 },
    { name: 'flattenScorecard rows/s (answersJson raw)', target: '>= 200000', value: flatten.rawAnswers, met: flatten.rawAnswers >= 200_000 },
  ],
  reading:
    `Ours exports ${expected.length} evaluations in ${o.ratioToFloorMedian} x the rate-limit floor with ${o.rateLimited429Median} 429s and ` +
    `${o.wastedMedian} wasted requests; the seed-style official-SDK loop takes ${clean.official.ratioToFloorMedian} x, ` +
    `${clean.official.rateLimited429Median} 429s and ${clean.official.wastedMedian} wasted. Under faults ours is exactly-once ` +
    `(${faulty.ours.allRowsCorrect}), the loop ${faulty.official.allRowsCorrect ? 'also' : 'is not'}.`,
});
console.log(`wrote ${file}`);
