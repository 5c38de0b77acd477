/**
 * Workload 4: ReportQueries.extract throughput and memory: 100,000 and 1,000,000 conversations of a lazily generated simulated
 * org (node:http on 127.0.0.1) through `extract` (PT6H windows, 3 at once, default projection) into an NDJSON file,
 * against a baseline that submits the same window jobs and only fetches and `JSON.parse`s the same result pages.
 * Each side runs in its own child process, so the server's memory is not counted and each peak RSS
 * (`process.resourceUsage().maxRSS`, plus a 50 ms sampler that records RSS against rows) belongs to one run.
 *
 * A third side, `official`, is what a user of the official SDK (purecloud-platform-client-v2) writes today: the same
 * window jobs through AnalyticsApi (submit, poll, page results by cursor) with a pool of 3, each conversation
 * JSON.stringified to an NDJSON file, no dedupe (so it writes the boundary duplicates extract removes).
 *
 * Runs: first the performance report's workload 4: 100k rows, all three sides as shipped (pages of 1000, Node's
 * default flags), 5 rounds alternating, median and min-max. Then issue 5's flatness runs: pages of 500 with a
 * 128 MB heap cap (100k and 1M, all sides), then the SDK as shipped at 1M with the cap and with Node's default flags. Capped runs also force a full GC every tenth of the
 * rows and record the heap that survives it: what the process keeps, as opposed to garbage not yet collected.
 *
 * Run: npx tsx bench/report-jobs.ts            (writes bench/results/report-jobs.json)
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ReportQueries } from '../src/analytics/report-jobs';
import { splitIntervalWindows } from '../src/helpers/intervals';
import { GenesysClient } from '../src/index';
import { NdjsonSink } from '../src/sinks/ndjson';
import { median, writeResult } from './lib';

const CHUNK = 'PT6H';
const CONCURRENCY = 3;
/** Results page size of a child run (set by the parent per run). */
const PAGE_SIZE = Number(process.env.BENCH_CHILD_PAGE_SIZE ?? 1000);
const POLL = { initialDelayMs: 20, maxDelayMs: 200, factor: 2, jitterMs: 0 };

interface ChildResult {
  mode: Side;
  rows: number;
  seconds: number;
  rowsPerSec: number;
  /** process.resourceUsage().maxRSS at the end, MB. */
  maxRssMB: number;
  /** [rows so far, RSS MB] every 50 ms (thinned to ~40 points). */
  rssByRows: Array<[number, number]>;
  /** Peak sampled RSS after the first 100,000 rows (or after 10% of them on small runs), MB. */
  peakAfterWarmupMB: number;
  /** Peak sampled RSS in each tenth of the rows, MB. */
  rssPeakByTenth: number[];
  /** [rows so far, heapUsed MB right after a full GC], every tenth of the run (capped runs). */
  retainedHeapByRows: Array<[number, number]>;
  /** Peaks of process.memoryUsage() fields over the run (sampled), MB: where the RSS goes. */
  peakMemoryUsageMB: { heapTotal: number; heapUsed: number; external: number; arrayBuffers: number };
  bytesWritten?: number;
}

type Side = 'sdk' | 'baseline' | 'official';

// ---- child ------------------------------------------------------------------------------------------------------

async function child(mode: Side, url: string, interval: string, out: string): Promise<void> {
  let rows = 0;
  const samples: Array<[number, number]> = [];
  const peaks = { heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    samples.push([rows, m.rss / 2 ** 20]);
    peaks.heapTotal = Math.max(peaks.heapTotal, m.heapTotal / 2 ** 20);
    peaks.heapUsed = Math.max(peaks.heapUsed, m.heapUsed / 2 ** 20);
    peaks.external = Math.max(peaks.external, m.external / 2 ** 20);
    peaks.arrayBuffers = Math.max(peaks.arrayBuffers, m.arrayBuffers / 2 ** 20);
  }, 50);
  // With --expose-gc (capped runs only): the heap that survives a full GC every tenth of the run, i.e. what the
  // process really keeps, as opposed to garbage V8 has not collected yet.
  const gc = (globalThis as { gc?: () => void }).gc;
  const retained: Array<[number, number]> = [];
  const every = Number(process.env.BENCH_GC_EVERY ?? 0);
  let nextGcAt = every;
  const maybeGc = () => {
    if (!gc || every <= 0 || rows < nextGcAt) return;
    nextGcAt += every;
    gc();
    retained.push([rows, round(process.memoryUsage().heapUsed / 2 ** 20, 1)]);
  };
  const started = performance.now();
  if (mode === 'sdk') {
    const client = new GenesysClient({
      clientId: 'sim-client-id',
      clientSecret: 'sim-client-secret',
      baseUrl: url,
      authUrl: url,
      rateLimit: { requestsPerMinute: 1e9, maxConcurrent: CONCURRENCY * 2 },
    });
    const reports = new ReportQueries(client, { poll: POLL, pageSize: PAGE_SIZE });
    const sink = new NdjsonSink(out);
    for await (const row of reports.extract({ interval, chunk: CHUNK, concurrency: CONCURRENCY })) {
      await sink.write(row);
      rows++;
      maybeGc();
    }
    await sink.close();
    await client.close();
  } else if (mode === 'official') {
    rows = await officialSdk(url, interval, out, (n) => {
      rows += n;
      maybeGc();
    });
  } else {
    rows = await baseline(url, interval, (n) => {
      rows += n;
      maybeGc();
    });
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  samples.push([rows, process.memoryUsage.rss() / 2 ** 20]);
  const deciles = Array.from({ length: 10 }, (_, d) => {
    const inDecile = samples.filter(([r]) => r >= (d * rows) / 10 && r < ((d + 1) * rows) / 10).map(([, m]) => m);
    return inDecile.length > 0 ? round(Math.max(...inDecile), 1) : Number.NaN;
  });
  const warm = Math.min(100_000, rows / 10);
  const after = samples.filter(([r]) => r >= warm).map(([, m]) => m);
  const step = Math.max(1, Math.floor(samples.length / 40));
  const result: ChildResult = {
    mode,
    rows,
    seconds: round(seconds, 2),
    rowsPerSec: Math.round(rows / seconds),
    maxRssMB: round(process.resourceUsage().maxRSS / 1024, 1),
    rssByRows: samples.filter((_, i) => i % step === 0 || i === samples.length - 1).map(([r, m]) => [r, round(m, 1)]),
    peakAfterWarmupMB: round(Math.max(...after), 1),
    retainedHeapByRows: retained,
    rssPeakByTenth: deciles,
    peakMemoryUsageMB: Object.fromEntries(Object.entries(peaks).map(([k, v]) => [k, round(v, 1)])) as ChildResult['peakMemoryUsageMB'],
    ...(mode !== 'baseline' ? { bytesWritten: statSync(out).size } : {}),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** How a side talks to the jobs API; `drainWindowJobs` runs the same schedule over it for both sides. */
interface JobCalls {
  submit(interval: string): Promise<string>;
  state(jobId: string): Promise<string>;
  page(jobId: string, cursor: string | undefined): Promise<{ conversations?: unknown[]; cursor?: string }>;
}

/** One job per window, CONCURRENCY at once: submit, poll until FULFILLED, then every results page in order. */
async function drainWindowJobs(interval: string, calls: JobCalls, onPage: (conversations: unknown[]) => Promise<void> | void): Promise<number> {
  const windows = splitIntervalWindows(interval, CHUNK);
  let total = 0;
  let next = 0;
  const worker = async () => {
    while (next < windows.length) {
      const jobId = await calls.submit(windows[next++]!.interval);
      for (let n = 0; ; n++) {
        await new Promise((r) => setTimeout(r, Math.min(POLL.maxDelayMs, POLL.initialDelayMs * 2 ** n)));
        if ((await calls.state(jobId)) === 'FULFILLED') break;
      }
      let cursor: string | undefined;
      do {
        const page = await calls.page(jobId, cursor);
        const conversations = page.conversations ?? [];
        await onPage(conversations);
        total += conversations.length;
        cursor = page.cursor;
      } while (cursor);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return total;
}

const JOB_QUERY = { order: 'asc', orderBy: 'conversationStart' } as const;

/** The floor: the same window jobs, fetched and parsed, nothing else (no validation, dedupe, projection or file). */
async function baseline(url: string, interval: string, add: (n: number) => void): Promise<number> {
  const token = ((await (await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from('sim-client-id:sim-client-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  })).json()) as { access_token: string }).access_token;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const base = `${url}/api/v2/analytics/conversations/details/jobs`;
  const calls: JobCalls = {
    submit: async (interval) => ((await (await fetch(base, { method: 'POST', headers, body: JSON.stringify({ interval, ...JOB_QUERY }) })).json()) as { jobId: string }).jobId,
    state: async (jobId) => ((await (await fetch(`${base}/${jobId}`, { headers })).json()) as { state: string }).state,
    page: async (jobId, cursor) => {
      const q = `pageSize=${PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      return JSON.parse(await (await fetch(`${base}/${jobId}/results?${q}`, { headers })).text()) as { conversations?: unknown[]; cursor?: string };
    },
  };
  return drainWindowJobs(interval, calls, (conversations) => add(conversations.length));
}

/** The official SDK, as its users write this job: submit each window, poll, page by cursor, one JSON line per conversation. */
async function officialSdk(url: string, interval: string, out: string, add: (n: number) => void): Promise<number> {
  // Loaded only on this side, from node_modules (the bundle keeps packages external).
  const platformClient = createRequire(import.meta.url)('purecloud-platform-client-v2');
  const api = platformClient.ApiClient.instance;
  const u = new URL(url);
  api.setGateway({ host: u.hostname, protocol: 'http', port: Number(u.port) });
  await api.loginClientCredentialsGrant('sim-client-id', 'sim-client-secret');
  const analytics = new platformClient.AnalyticsApi();
  const calls: JobCalls = {
    submit: async (interval) => ((await analytics.postAnalyticsConversationsDetailsJobs({ interval, ...JOB_QUERY })) as { jobId: string }).jobId,
    state: async (jobId) => ((await analytics.getAnalyticsConversationsDetailsJob(jobId)) as { state: string }).state,
    page: (jobId, cursor) => analytics.getAnalyticsConversationsDetailsJobResults(jobId, { pageSize: PAGE_SIZE, ...(cursor ? { cursor } : {}) }),
  };
  const file = createWriteStream(out);
  const total = await drainWindowJobs(interval, calls, async (conversations) => {
    let chunk = '';
    for (const c of conversations) chunk += `${JSON.stringify(c)}\n`;
    if (!file.write(chunk)) await once(file, 'drain');
    add(conversations.length);
  });
  await new Promise<void>((resolve, reject) => file.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return total;
}

// ---- parent -----------------------------------------------------------------------------------------------------

/**
 * The child runs as one esbuild bundle under plain node, as an application using the built package would: under
 * tsx the loader and its transpiled sources alone add ~60 MB of RSS that no user pays. Dependencies stay external
 * (resolved from node_modules), and the simulated org is never loaded in the child.
 */
async function bundleChild(): Promise<string> {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const outfile = join(root, 'node_modules', '.cache', 'gc-data-bench', 'report-jobs-child.mjs');
  mkdirSync(dirname(outfile), { recursive: true });
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [fileURLToPath(import.meta.url)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return outfile;
}

let childScript: string | undefined;

async function runChild(mode: Side, url: string, interval: string, out: string, flags: string[], gcEvery: number, pageSize: number): Promise<ChildResult> {
  childScript ??= await bundleChild();
  const script = childScript;
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...flags, script, '--child', mode, url, interval, out], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, BENCH_GC_EVERY: flags.includes('--expose-gc') ? String(gcEvery) : '0', BENCH_CHILD_PAGE_SIZE: String(pageSize) },
    });
    let text = '';
    p.stdout.on('data', (d: Buffer) => (text += d.toString()));
    p.on('error', reject);
    p.on('exit', (code) => {
      const line = text.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`${mode} child exited ${code}: ${text}`));
      else resolve(JSON.parse(line) as ChildResult);
    });
  });
}

interface Run {
  conversations: number;
  nodeFlags: string;
  pageSize: number;
  baseline?: ChildResult;
  official?: ChildResult;
  sdk: ChildResult;
  ratio?: number;
}

/** A lazily generated simulated org of `conversations` over 30 days, on 127.0.0.1, for the duration of `fn`. */
async function withServer<T>(conversations: number, fn: (url: string, interval: string) => Promise<T>): Promise<T> {
  const anchor = Date.UTC(2026, 0, 31);
  const { startSimulatedServer } = await import('../src/testing/index');
  const server = await startSimulatedServer({
    seed: 7,
    conversations,
    days: 30,
    anchor,
    rateLimit: false,
    tokenRateLimit: false,
    dataAvailabilityDate: anchor + 86_400_000,
    jobs: { queuedMs: 0, pendingMs: 0, maxPageSize: 1000 },
  });
  const interval = `${new Date(anchor - 30 * 86_400_000).toISOString()}/${new Date(anchor).toISOString()}`;
  try {
    return await fn(server.url, interval);
  } finally {
    await server.close();
  }
}

async function measure(conversations: number, dir: string, flags: string[], sides: Side[], pageSize: number): Promise<Run> {
  return withServer(conversations, async (url, interval) => {
    const out = join(dir, `rows-${conversations}.ndjson`);
    const gcEvery = Math.max(1, Math.floor(conversations / 10));
    const baselineRun = sides.includes('baseline') ? await runChild('baseline', url, interval, out, flags, gcEvery, pageSize) : undefined;
    const officialRun = sides.includes('official') ? await runChild('official', url, interval, out, flags, gcEvery, pageSize) : undefined;
    const sdkRun = await runChild('sdk', url, interval, out, flags, gcEvery, pageSize);
    return {
      conversations,
      nodeFlags: flags.join(' ') || '(defaults)',
      pageSize,
      ...(baselineRun ? { baseline: baselineRun, ratio: round(sdkRun.rowsPerSec / baselineRun.rowsPerSec, 3) } : {}),
      ...(officialRun ? { official: officialRun } : {}),
      sdk: sdkRun,
    };
  });
}

interface Spread {
  median: number;
  min: number;
  max: number;
}

/** Median and range of one figure over the rounds. */
function spread(xs: number[]): Spread {
  return { median: round(median(xs), 1), min: round(Math.min(...xs), 1), max: round(Math.max(...xs), 1) };
}

/**
 * The performance report's workload 4 as the issue states it: `conversations` through job results, every side
 * `rounds` times in the same process tree, alternating (the order rotates each round so no side always runs
 * first), shipped defaults (pages of 1000) and Node's default flags, as users run it. Median and min-max.
 */
async function alternating(conversations: number, dir: string, rounds: number) {
  const sides: Side[] = ['sdk', 'official', 'baseline'];
  const runs: Record<Side, ChildResult[]> = { sdk: [], official: [], baseline: [] };
  await withServer(conversations, async (url, interval) => {
    const out = join(dir, `rows-alt-${conversations}.ndjson`);
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < sides.length; i++) {
        const side = sides[(r + i) % sides.length] as Side;
        runs[side].push(await runChild(side, url, interval, out, [], 0, 1000));
      }
    }
  });
  const summary = (side: Side) => ({
    rows: runs[side][0]?.rows ?? 0,
    rowsPerSec: spread(runs[side].map((x) => x.rowsPerSec)),
    maxRssMB: spread(runs[side].map((x) => x.maxRssMB)),
  });
  const ratios = runs.sdk.map((x, i) => x.rowsPerSec / (runs.baseline[i]?.rowsPerSec ?? Number.NaN));
  return { conversations, rounds, nodeFlags: '(defaults)', pageSize: 1000, sdk: summary('sdk'), official: summary('official'), baseline: summary('baseline'), ratio: spread(ratios.map((x) => round(x, 3))) };
}

function round(x: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * Heap-capped runs carry the flatness targets (they also force full GCs to see what the process keeps). Under
 * Node's default flags V8 lets the old generation grow to a few times the live data, so the default-flag RSS
 * mostly measures how long pages stay reachable: a whole parsed page promoted to the old generation is what made
 * the floor loop (and extract before it parsed one conversation at a time) peak far above its live heap.
 */
const CAPPED = ['--max-old-space-size=128', '--expose-gc'];

if (process.argv[2] === '--child') {
  const [mode, url, interval, out] = process.argv.slice(3) as [Side, string, string, string];
  await child(mode, url, interval, out);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'gc-report-bench-'));
  try {
    // BENCH_SIZES=20000,100000 for a quick look (results are still written).
    const [smallSize, largeSize] = (process.env.BENCH_SIZES ?? '100000,1000000').split(',').map(Number) as [number, number];
    // Targets: a memory-conscious setup (pages of 500, heap capped). Then the SDK as shipped: pages of 1000, Node
    // defaults, and the same pages with the cap, to show what each knob costs.
    const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
    const workload4 = await alternating(smallSize, dir, rounds);
    const small = await measure(smallSize, dir, CAPPED, ['baseline', 'official', 'sdk'], 500);
    const large = await measure(largeSize, dir, CAPPED, ['baseline', 'official', 'sdk'], 500);
    const largeDefault = await measure(largeSize, dir, [], ['baseline', 'official', 'sdk'], 1000);
    const largeDefaultCapped = await measure(largeSize, dir, CAPPED, ['sdk'], 1000);
    const flatness = round(large.sdk.maxRssMB - small.sdk.maxRssMB, 1);
    const retainedAt = (r: ChildResult, atRows: number) => r.retainedHeapByRows.find(([n]) => n >= atRows)?.[1] ?? Number.NaN;
    const retainedGrowth = round(retainedAt(large.sdk, largeSize) - retainedAt(large.sdk, smallSize), 1);
    const label = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);
    const L = label(largeSize);
    const S = label(smallSize);
    // Within the large run: the RSS peak of its last tenth vs that of its second tenth (after the first tenth's warm-up).
    const tenths = large.sdk.rssPeakByTenth;
    const rssTrend = round((tenths[9] ?? Number.NaN) - (tenths[1] ?? Number.NaN), 1);
    const targets = [
      { name: `peak RSS, ${S} rows, shipped defaults, Node default flags (median of ${rounds} alternating runs)`, target: '< 200 MB', value: workload4.sdk.maxRssMB.median, met: workload4.sdk.maxRssMB.median < 200 },
      { name: `peak RSS of the SDK process, ${L} rows (pages of 500, heap capped at 128 MB)`, target: '< 200 MB', value: large.sdk.maxRssMB, met: large.sdk.maxRssMB < 200 },
      { name: `RSS peak of the last tenth minus the second tenth of that ${L}-row run`, target: 'flat (< 20 MB)', value: rssTrend, met: rssTrend < 20 },
      { name: `heap kept after a full GC, at ${L} rows minus at ${S} rows (same run)`, target: 'flat (< 5 MB)', value: retainedGrowth, met: Math.abs(retainedGrowth) < 5 },
      { name: `extract rows/s vs baseline (fetch + JSON.parse of the same pages), ${L}`, target: '>= 0.5', value: large.ratio ?? 0, met: (large.ratio ?? 0) >= 0.5 },
      { name: `extract rows/s vs baseline (fetch + JSON.parse of the same pages), ${S}`, target: '>= 0.5', value: small.ratio ?? 0, met: (small.ratio ?? 0) >= 0.5 },
      { name: `peak RSS, ${L} rows, shipped defaults (pages of 1000) with the 128 MB heap cap`, target: '< 200 MB', value: largeDefaultCapped.sdk.maxRssMB, met: largeDefaultCapped.sdk.maxRssMB < 200 },
      { name: `peak RSS, ${L} rows, shipped defaults (pages of 1000), Node default flags`, target: '< 200 MB', value: largeDefault.sdk.maxRssMB, met: largeDefault.sdk.maxRssMB < 200 },
      { name: `peak RSS, ${L}-row run minus ${S}-row run (informative: the short run ends before the heap reaches its cap)`, target: 'informative', value: flatness, met: true },
    ];
    const runs = [small, large, largeDefaultCapped, largeDefault];
    const file = writeResult({
      benchmark: 'report-jobs',
      results: {
        setup: {
          chunk: CHUNK,
          concurrency: CONCURRENCY,
          days: 30,
          projection: 'default (projectConversation), rows to an NDJSON file',
          server: 'startSimulatedServer on 127.0.0.1 in the parent process; each measured side in its own child (esbuild bundle, plain node)',
          git: gitRev(),
        },
        workload4,
        runs,
      },
      targets,
      reading:
        `Workload 4 (${S} rows, shipped defaults, Node's default flags, ${rounds} alternating runs): extract ${workload4.sdk.rowsPerSec.median.toLocaleString('en-US')} rows/s ` +
        `(${workload4.ratio.median} x the fetch+parse loop), peak RSS ${workload4.sdk.maxRssMB.median} MB (${workload4.sdk.maxRssMB.min}-${workload4.sdk.maxRssMB.max}); ` +
        `the official SDK's loop ${workload4.official.rowsPerSec.median.toLocaleString('en-US')} rows/s, ${workload4.official.maxRssMB.median} MB; the loop ${workload4.baseline.maxRssMB.median} MB. ` +
        `extract streams ${large.sdk.rowsPerSec.toLocaleString('en-US')} rows/s to NDJSON at ${L} rows (${large.ratio}x the fetch+parse loop's ` +
        `${large.baseline?.rowsPerSec.toLocaleString('en-US')} rows/s); peak RSS ${large.sdk.maxRssMB} MB at ${L} (pages of 500, 128 MB heap cap; ` +
        `${largeDefaultCapped.sdk.maxRssMB} MB with pages of 1000), flat from ${S} to ${L}; ${largeDefault.sdk.maxRssMB} MB under Node's default heap sizing ` +
        `(the fetch+parse loop: ${largeDefault.baseline?.maxRssMB} MB). The official SDK's loop: ${large.official?.rowsPerSec.toLocaleString('en-US')} rows/s, ` +
        `peak RSS ${large.official?.maxRssMB} MB capped and ${largeDefault.official?.maxRssMB} MB with default flags, writing ${large.official?.rows.toLocaleString('en-US')} ` +
        `lines for ${large.sdk.rows.toLocaleString('en-US')} distinct conversations (no dedupe across windows).`,
    });
    const brief = (r: Run) => ({
      conversations: r.conversations,
      nodeFlags: r.nodeFlags,
      pageSize: r.pageSize,
      ratio: r.ratio,
      baseline: r.baseline && { rowsPerSec: r.baseline.rowsPerSec, maxRssMB: r.baseline.maxRssMB, heap: r.baseline.peakMemoryUsageMB },
      official: r.official && { rows: r.official.rows, rowsPerSec: r.official.rowsPerSec, maxRssMB: r.official.maxRssMB, heap: r.official.peakMemoryUsageMB },
      sdk: { rowsPerSec: r.sdk.rowsPerSec, seconds: r.sdk.seconds, maxRssMB: r.sdk.maxRssMB, rssPeakByTenth: r.sdk.rssPeakByTenth, heap: r.sdk.peakMemoryUsageMB, retained: r.sdk.retainedHeapByRows },
    });
    process.stdout.write(`${JSON.stringify({ workload4, runs: runs.map(brief), targets }, null, 2)}\nwrote ${file}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function gitRev(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}
