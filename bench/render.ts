/**
 * Renders docs/performance.md from bench/results/*.json: one section per benchmark with its machine, Node
 * version, date, targets (met or missed) and the one-line reading. Run: npx tsx bench/render.ts
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BenchResult } from './lib';
import { resultsDir } from './lib';

const ORDER = ['quality-export', 'pacing-matrix-1s', 'pacing-matrix-10s', 'pacing-matrix-fake', 'pacing-matrix-fake-export', 'pacing-faults', 'footprint', 'report-jobs', 'transport', 'multi-worker', 'pii', 'checkpoint-bytes', 'legal-hold-download', 'warehouse-sync', 'warehouse-load', 'warehouse-crash'];
const TITLES: Record<string, string> = {
  'quality-export': 'Workloads 1-2: export 500 evaluations, ours vs a loop over the official SDK (one GET per evaluation, five at a time)',
  footprint: 'Workload 3: cold import time and installed size',
  'report-jobs': 'Workload 4: conversations through async job results (memory and rows/s)',
  transport: 'Workload 5a: transport vs raw fetch',
  'multi-worker': 'Shared limits: several workers, one org budget',
  pii: 'Workload 5b: helper throughput (PII scanner)',
  'pacing-matrix-1s': 'Pacing on every rate-limit model: 1-s windows (50 requests/s), ours vs the official-SDK loop (issue 19)',
  'pacing-matrix-10s': 'Pacing on every rate-limit model: 10-s windows (50 per 10 s), ours vs the official-SDK loop (issue 19)',
  'pacing-matrix-fake': 'Pacing on every rate-limit model, on fake time (deterministic; issue 19)',
  'pacing-matrix-fake-export': "Pacing at the export's size and demand (328 requests from 5 loops), on fake time (issue 19)",
  'pacing-faults': 'Pacing under faults: 5% 5xx + 2% dropped connections (issue 19)',
  'checkpoint-bytes': 'Checkpoint bytes written while exporting 100,000 evaluations (issue 17 section 4)',
  'legal-hold-download': 'Legal hold: recording downloads vs a plain streaming fetch (issue 21)',
  'warehouse-sync': 'Warehouse: incremental sync request cost (evaluation GETs per run)',
  'warehouse-load': 'Warehouse: load rate into PostgreSQL (COPY + guarded upsert vs row-by-row INSERT)',
  'warehouse-crash': 'Warehouse: kill -9 during a 50,000-evaluation sync, then rerun',
};

const PACING_MATRIX_NOTE =
  'bench/pacing/matrix.ts: the quality export (about 330 requests) against the simulated server on each model x anchor x ' +
  'reset style, 10 ms latency, default client options beside the seed-style official-SDK loop, alternating per run; ' +
  'timed at the server from the first API request to the last answer, against the floor of that model (the minimum time ' +
  'with the limiter full at the start: bench/pacing/floor.ts; a first clock window a few ms long holds what 5 connections at ' +
  '10 ms can send into it, and nothing but the first query page until the org answered it, as the export fetches what that ' +
  'page lists). Real time: the conditions line says what else ran; ' +
  'the fake-time section below is the same pacing without any load. When the reading says the loop\'s figures were not re-run, ' +
  'only our side ran (PACING_SIDES=ours) and each row\'s loop figures are copied from the earlier run it names (officialFrom). ' +
  'Targets: <= 1.10 x the floor with a reset header, <= 1.25 x without, <= 1 x 429 per run.';

/** What a reader needs to interpret a figure that the numbers alone do not say. */
const NOTES: Record<string, string> = {
  'pacing-matrix-1s': PACING_MATRIX_NOTE,
  'pacing-matrix-10s': PACING_MATRIX_NOTE,
  'pacing-matrix-fake':
    'test/pacing/models.test.ts run with PACING_RESULTS=1: 200 client.request() calls per cell and start phase, default client ' +
    'options, 10 ms latency, on vitest fake timers (simulated time moves only when nothing else can run), so the figures do not ' +
    'depend on machine load and repeat exactly. Each cell runs from several start phases of the window (a clock-aligned first ' +
    'window is what is left of the clock\'s); the floor counts what a client with 5 connections and 10 ms round trips can send ' +
    'into a first window a few ms long (bench/pacing/floor.ts). Clock-aligned 1-s windows announcing a delta-seconds reset or ' +
    'none are phase-blind: their run is request for request the run on windows opened by the first request, so they are judged ' +
    'against that floor (test/pacing/harness.ts cellVerdict). Fixed/clock with no reset header takes 2 x 429 from mid-window ' +
    'starts at this demand (200 at once, 4 x 50: it fills its windows exactly): models.test.ts shows a platform with shorter ' +
    'first-request windows answering the same until the second 429. At the export\'s demand it takes 1 (the window ladder, ' +
    'src/transport/window-ladder.ts; next section). ' +
    'At 200 requests (4 x 50) the phase scan (src/transport/phase-scan.ts) stays off: budget held back would cost a fifth ' +
    'window. At 328 requests (the export\'s) it brings fixed/clock, window-end, 1-s windows to 1.015-1.037 x its own floor over ' +
    'the phases, 0 x 429, with and without jitter (1.02-1.18 x without it; test/pacing/phase-scan.test.ts).',
  'pacing-matrix-fake-export':
    'test/pacing/export-demand.test.ts run with PACING_RESULTS=1: 328 requests (the bench\'s quality export) issued by 5 loops, ' +
    'each sending its next request when its last is answered, as the exporter\'s 5 fetches: the gate never sees the whole ' +
    'demand. Fixed windows (both anchors, every reset style) and the other models without a reset header, 1-s and 10-s windows, ' +
    'every start phase, each run against its OWN floor (no first-request twin: 328 is no multiple of 50, so the phase scan and ' +
    'the window ladder, src/transport/window-ladder.ts, have room in the last window). Fixed/clock without a reset header also ' +
    'runs with 0-40 ms seeded jitter on the way in.',
  'pacing-faults':
    'bench/pacing/faults.ts: the quality export of 500 evaluations against 50 requests/s (a bucket of 50, full at the start), ' +
    '10 ms latency, default client options; clean and faulty runs alternating, timed at the server. "Before" is the tree at ' +
    'commit 140ab85 measured the same way minutes earlier on the same loaded machine. The time went to rows waiting in ' +
    "order behind one retrying GET (a window of 20 results) and to a lone 503's first backoff (up to 2 s with the 503 " +
    'factor): fixed in src/quality/exporter.ts (64 results per slot) and src/transport/retry.ts (`isolated`). The ' +
    'deterministic version is test/pacing/faults.test.ts (fake time, seeded jitter): 1.05-1.21 x over seeds 1-16 (seed 16 read 1.454 x before the 503 change of session 10, 1.167 x after), ' +
    '1.10-1.78 x before. The start-up gap (first evaluation GET after the first discovery request) is mostly ' +
    "the server's own time to answer that first page (cold); on the client, bench/quality-startup.ts (a fresh " +
    'process per trial, 8 trials, load 19-21) counts 17.2 ms of CPU (median) from the page read to the first ' +
    'GET and 63.8 ms to the sixth before the page check was written by hand and the evaluation schema built ' +
    'during the wait, 10.7 and 46.7 ms after; reading and checking the 360 KB page was about 3 ms of it, the ' +
    "rest is the first requests' own path (cold).",
  'quality-export':
    'How ours gets close to the floor: the limiter holds requests for the announced reset when the budget is spent ' +
    '(right for a per-window limit), until it sees the server grant more than its allowance within one window; then ' +
    'it waits one request\'s refill at a time. Before that (traced), the end-of-run wait for a whole reset put runs ' +
    'at 1.10-1.13 x. Under faults the time goes to retrying the injected 5xx and resets.',
  footprint:
    'Each side is timed as `node start.cjs` (a file that requires the package) and `node start.mjs` (one that ' +
    'imports it), 15 runs alternating, minus a bare node start. Ours loads eventemitter3 and its own bundle (zod ' +
    'tree-shaken and bottleneck\'s light build inside; no zod schema built until first use, built-ins it needs on ' +
    'some paths loaded then); what remains is mostly compiling ~550 KB of JS. The ESM figures include Node\'s ESM ' +
    'loader start-up, and for the official SDK the scan Node makes of a CommonJS package imported from ESM. ' +
    'Installed size counts every file npm installs with --omit=dev.',
  'warehouse-load':
    'Each evaluation writes one `evaluations` row with its ~2.6 KB `answers` jsonb and 12 question-score rows; ids are ' +
    'in random order, as the platform\'s are. Bare COPY (the same rows in the same binary format COPYed straight into ' +
    'the tables on one connection, encoded before the clock starts, nothing staged, guarded or checked) is what the ' +
    'server itself takes for this data: ~60-65 µs of server CPU per evaluation, so no loader through PostgreSQL reaches ' +
    '50,000 evaluations/s on this 2-core machine (bare COPY itself peaks near 16,000/s of server CPU). Ours spends ' +
    '~68 µs of server CPU and ~40-50 µs in Node per evaluation (checking and encoding ~35 µs; the documents arrive ' +
    'as a sync receives them, parsed per batch, the parse not counted). Awaited one batch at a time, Node and the ' +
    'server take turns (every change is checked before anything is sent), so the rate is bounded by the sum. Handed ' +
    'over early (what a sync into the warehouse does), the next batch is encoded meanwhile, staged on a second ' +
    'connection and, sharing no row with the previous one, merged meanwhile too; it commits after it. The row-by-row ' +
    'loader is bound by round trips, so its speed depends on load more than ours: the 10 x ratio moves with it. Where the time goes: ' +
    'docs/warehouse.md, "Performance".',
  'report-jobs':
    'Under Node\'s default flags V8 lets the old generation grow to a few times the live heap before a full GC. ' +
    'The floor loop and the official SDK parse each 1,000-conversation page whole; the page stays reachable while it ' +
    'is handled, gets promoted, and the heap balloons (150-180 MB). Extract parses one conversation at a time from ' +
    'the page\'s bytes and gives the bytes back once the page is read, so its heap peaks at 56-84 MB and its ' +
    'off-heap memory at 30-43 MB; the rest of its RSS is Node itself.',
  'legal-hold-download':
    'The ratio is taken per round between runs seconds apart (the sides alternate, the order rotating), then the median ' +
    'over rounds; CPU time per GiB is shown beside it (it barely moves with load; wall time does). Ours is driven the ' +
    'way a hold drives it (every file handed to the downloader at once; each resume-state line appended once its file ' +
    'is durable, timed to the last durable line) with group durability (src/transport/download-durable.ts). "plain ' +
    'fetch + fsync per file" fsyncs and renames each file before that worker moves on (what ours did before). Ours ' +
    'spends ~1.3-1.4 x the plain fetch\'s CPU per GiB (the sha256 and the copy into 1 MiB runs) but hashes on a worker ' +
    'thread: with a second core free for it (this run: other work at nice 19) it outruns the single-threaded plain ' +
    'fetch; with both cores busy (an earlier run the same day, everything at nice 19, load 15-18) it read 0.55 x, and ' +
    '0.44 x before group durability (load 14-19, not a matched before/after).',
};

/** What else ran on the machine: wall-clock figures depend on it (bench/lib.ts `conditions`). */
function conditions(r: BenchResult): string {
  if (!r.conditions) return '';
  const load = ` Load average when written: ${r.conditions.loadAverage.join(', ')} (1, 5, 15 min).`;
  return `${load}${r.conditions.note ? ` Conditions: ${r.conditions.note}` : ''}`;
}

function table(rows: Array<Record<string, unknown>>): string {
  if (rows.length === 0) return '';
  const cols = Object.keys(rows[0]!);
  const line = (cells: unknown[]) => `| ${cells.map((c) => String(c ?? '')).join(' | ')} |`;
  return [line(cols), line(cols.map(() => '---')), ...rows.map((r) => line(cols.map((c) => r[c])))].join('\n');
}

function section(r: BenchResult): string {
  const out = [`## ${TITLES[r.benchmark] ?? r.benchmark}`, ''];
  out.push(`Measured ${r.date.slice(0, 10)} on ${r.machine.cpus} x ${r.machine.model} (${r.machine.totalMemGiB} GiB), Node ${r.node}.${conditions(r)}`, '');
  out.push(`**Reading:** ${r.reading}`, '');
  if (NOTES[r.benchmark]) out.push(NOTES[r.benchmark]!, '');
  out.push(table(r.targets.map((t) => ({ target: t.name, wanted: t.target, measured: t.value, met: t.met ? 'yes' : '**no**' }))), '');
  const extra = summaryTable(r);
  if (extra) out.push(extra, '');
  out.push(`Raw figures: \`bench/results/${r.benchmark}.json\`.`, '');
  return out.join('\n');
}

/** A side-by-side table for the benchmarks that compare two implementations. */
function summaryTable(r: BenchResult): string | undefined {
  if (r.benchmark === 'legal-hold-download') {
    const names = { plain: 'plain fetch -> file', ours: 'Downloader (group fsync)', oursInlineHash: 'Downloader, hash inline', plainFsync: 'plain fetch + fsync per file' } as const;
    const rows = ((r.results as Record<string, any>).table as Array<Record<string, any>>).flatMap((c) =>
      (Object.keys(names) as Array<keyof typeof names>)
        .filter((k) => c[k])
        .map((k) => ({
          case: `${c.case} (${c.totalMiB} MiB, ${c.files} files)`,
          side: names[k],
          'MiB/s (median)': c[k].MiBps,
          'CPU ms/GiB': c[k].cpuMsPerGiB,
          'peak RSS MiB': c[k].peakRssMiB,
          'x plain (median of per-round ratios)': k === 'ours' ? `${c.ratio} (${c.ratioMin}-${c.ratioMax})` : k === 'oursInlineHash' ? c.ratioInlineHash : k === 'plainFsync' ? `ours ${c.ratioVsDurable} x this` : '',
          'files per group fsync': k === 'ours' && c.oursFilesPerSyncGroup !== undefined ? c.oursFilesPerSyncGroup : '',
        })),
    );
    return `${(r.results as Record<string, any>).table[0].rounds} rounds per case, sides alternating in rotating order, each run a fresh process.\n\n${table(rows)}`;
  }
  if (r.benchmark === 'quality-export') {
    const res = r.results as Record<string, any>;
    const rows = [];
    for (const w of [res.clean, res.faulty]) {
      for (const side of ['ours', 'official'] as const) {
        const s = w[side];
        rows.push({
          workload: w.name,
          side,
          'wall s (median)': (s.wallMsMedian / 1000).toFixed(1),
          'min-max s': `${(s.wallMsMin / 1000).toFixed(1)}-${(s.wallMsMax / 1000).toFixed(1)}`,
          'x floor': s.ratioToFloorMedian,
          requests: s.requestsMedian,
          wasted: s.wastedMedian,
          '429s': s.rateLimited429Median,
          'rows correct': s.allRowsCorrect ? 'yes' : 'no',
          duplicates: s.duplicatesMax,
        });
      }
    }
    return `Floor = (requests needed - burst) / rate = ${(res.clean.floorMs / 1000).toFixed(1)} s for ${res.clean.needed} requests at ${res.rate}, burst ${res.burst}; ${res.runs} runs each, alternating.\n\n${table(rows)}`;
  }
  if (r.benchmark === 'report-jobs') {
    const res = r.results as Record<string, any>;
    const w4 = res.workload4;
    const range = (x: { median: number; min: number; max: number }) => `${x.median.toLocaleString('en-US')} (${x.min.toLocaleString('en-US')}-${x.max.toLocaleString('en-US')})`;
    const alternating = w4
      ? `Workload 4 as specified: ${w4.conversations.toLocaleString('en-US')} conversations, pages of ${w4.pageSize}, Node's default flags, ${w4.rounds} rounds alternating (median (min-max)).\n\n` +
        table(
          (['sdk', 'official', 'baseline'] as const).map((side) => ({
            side: side === 'sdk' ? 'ours (extract -> NDJSON)' : side === 'official' ? 'official SDK loop -> NDJSON' : 'fetch + JSON.parse only',
            'rows out': w4[side].rows.toLocaleString('en-US'),
            'rows/s': range(w4[side].rowsPerSec),
            'peak RSS MB': range(w4[side].maxRssMB),
          })),
        ) +
        `\n\nOurs / the fetch + parse loop, rows/s: ${range(w4.ratio)}. Then single runs at 100k and 1M for the flatness targets:\n\n`
      : '';
    const rows = [];
    for (const run of res.runs ?? []) {
      for (const side of ['sdk', 'official', 'baseline'] as const) {
        const s = run[side];
        if (!s) continue;
        rows.push({
          conversations: run.conversations.toLocaleString('en-US'),
          'node flags': run.nodeFlags,
          'page size': run.pageSize,
          side: side === 'sdk' ? 'ours (extract -> NDJSON)' : side === 'official' ? 'official SDK loop -> NDJSON' : 'fetch + JSON.parse only',
          'rows out': s.rows.toLocaleString('en-US'),
          'rows/s': s.rowsPerSec.toLocaleString('en-US'),
          'peak RSS MB': s.maxRssMB,
        });
      }
    }
    return alternating + table(rows);
  }
  if (r.benchmark === 'checkpoint-bytes') {
    const res = r.results as Record<string, any>;
    const row = (side: string, x: Record<string, any>) => ({
      code: side,
      evaluations: x.evaluations.toLocaleString('en-US'),
      saves: x.saves,
      'bytes written': x.bytesWritten.toLocaleString('en-US'),
      'largest file': x.largestFileBytes.toLocaleString('en-US'),
      'bytes / row': x.bytesPerRow,
      'wall s': (x.wallMs / 1000).toFixed(0),
    });
    return `FileCheckpoint on tmpfs, checkpointEvery 100, strategy search, one run each (loaded machine: wall times are the export's, not the checkpoint's).\n\n${table([...(res.before ? [row('before (every id written)', res.before)] : []), row('after (per-page cursor)', res)])}`;
  }
  if (r.benchmark === 'warehouse-load') {
    const res = r.results as Record<string, any>;
    const rows = (res.perRound ?? []).map((x: any) => ({
      round: x.round,
      'load avg': x.loadAverage,
      'copy+upsert new rows/s': x.copyInsert.rowsPerSec.toLocaleString('en-US'),
      'every row updated': x.copyUpdate.rowsPerSec.toLocaleString('en-US'),
      'next batch handed early': x.copyPipelined.rowsPerSec.toLocaleString('en-US'),
      'row-by-row': x.rowByRow.rowsPerSec.toLocaleString('en-US'),
      'bare COPY': x.bareCopy.rowsPerSec.toLocaleString('en-US'),
      ratio: `${x.ratio}x`,
      ...(x.ratioPipelined !== undefined ? { 'ratio, handed early': `${x.ratioPipelined}x` } : {}),
      'of bare COPY': x.ratioToBare,
    }));
    const before = res.before
      ? `\n\nThe previous loader (text COPY for the question scores, every batch built as one string) in the same bench, run right after on the same server (medians of ${res.before.rounds} rounds, load average ${res.before.loadAverage}): copy+upsert ${res.before.copyInsert.toLocaleString('en-US')} rows/s, row-by-row ${res.before.rowByRow.toLocaleString('en-US')} rows/s, ratio ${res.before.ratio}x.`
      : '';
    const ab = res.abPrevious
      ? ` Alternating in one process (${res.abPrevious.how}): previous ${res.abPrevious.previous.wallRowsPerSec.toLocaleString('en-US')} rows/s, ${res.abPrevious.previous.cpuRowsPerSec.toLocaleString('en-US')} of CPU (Node ${res.abPrevious.previous.nodeUsPerEvaluation} µs + server ${res.abPrevious.previous.serverUsPerEvaluation} µs per evaluation); this one ${res.abPrevious.this.wallRowsPerSec.toLocaleString('en-US')} rows/s, ${res.abPrevious.this.cpuRowsPerSec.toLocaleString('en-US')} of CPU (${res.abPrevious.this.nodeUsPerEvaluation} µs + ${res.abPrevious.this.serverUsPerEvaluation} µs). (The full runs' CPU figures are not shown: they read the server's CPU without its exited children, fixed in load.ts since.)`
      : '';
    return `${res.rows.toLocaleString('en-US')} evaluations (row-by-row: ${res.rowByRowRows.toLocaleString('en-US')}), ${res.questionsPerEvaluation} questions each, batches of ${res.batch}; ${res.rounds} rounds, loaders interleaved (order rotating).\n\n${table(rows)}${before}${ab}`;
  }
  if (r.benchmark === 'warehouse-crash') {
    const res = r.results as Record<string, any>;
    const rows = (res.perKill ?? []).map((k: any) => ({ kill: k.kill, 'kill point': k.point, 'run ms': k.ms, 'GETs in run': k.getsServed, 'rows after': k.rowsAfter.toLocaleString('en-US'), check: k.problems.length ? k.problems.join('; ') : 'consistent' }));
    return `${res.evaluations.toLocaleString('en-US')} evaluations, batches of ${res.batchSize}; ${res.totalGets.toLocaleString('en-US')} evaluation GETs in all (${res.refetched.toLocaleString('en-US')} for batches a kill cut before their commit); ${res.seconds} s.\n\n${table(rows)}`;
  }
  if (r.benchmark === 'warehouse-sync') {
    const res = r.results as Record<string, any>;
    return table(res.phases ?? []);
  }
  if (r.benchmark === 'pacing-matrix-1s' || r.benchmark === 'pacing-matrix-10s') {
    const res = r.results as Record<string, any>;
    const range = (s: any) => `${s.ratioMedian} (${s.ratioMin}-${s.ratioMax})`;
    const rows = (res.cells as any[]).map((c) => {
      const target = c.reset === 'none' ? 1.25 : 1.1;
      return {
        cell: c.cell,
        ...(c.tree ? { tree: c.tree } : {}),
        'ours x floor, median (min-max)': range(c.ours),
        'ours 429s, max': c.ours.r429Max,
        'official loop x floor': range(c.official),
        'official 429s, median': c.official.r429Median,
        'rows correct (ours / loop)': `${c.ours.rowsCorrect ? 'yes' : 'no'} / ${c.official.rowsCorrect ? 'yes' : 'no'}`,
        met: c.ours.ratioMedian <= target && c.ours.r429Max <= 1 ? 'yes' : '**no**',
      };
    });
    return `${res.needed} requests, ${res.requestsPerWindow} per window, ${res.latencyMs} ms latency, ${res.runs} run(s) per side and cell.\n\n${table(rows)}`;
  }
  if (r.benchmark === 'pacing-matrix-fake' || r.benchmark === 'pacing-matrix-fake-export') {
    const res = r.results as Record<string, any>;
    const cells = res.cells as any[];
    // One row per cell over its start phases (older files have one phase and no judged ratio).
    const names = cells.map((c) => c.cell).filter((n, i, a) => a.indexOf(n) === i);
    const rows = names.map((name) => {
      const runs = cells.filter((c) => c.cell === name);
      const own = runs.map((c) => c.ratio);
      const judged = runs.map((c) => c.judgedRatio ?? c.ratio);
      const target = runs[0].target ?? (runs[0].reset === 'none' ? 1.25 : 1.1);
      const worst429 = Math.max(...runs.map((c) => c.r429));
      const twice = runs.filter((c) => c.r429 > 1).map((c) => c.phase);
      return {
        cell: name,
        'x own floor (min-max over phases)': `${Math.min(...own)}-${Math.max(...own)}`,
        'judged x, worst': `${Math.max(...judged)}${runs[0].basis && runs[0].basis !== 'floor' ? ` (x ${runs[0].basis} floor)` : ''}`,
        '429s, most': twice.length > 0 ? `${worst429} (from phases ${twice.join(', ')})` : worst429,
        met: Math.max(...judged) <= target && worst429 <= 1 ? 'yes' : '**no**',
      };
    });
    const phases = res.startPhases ? `Start phases (fraction of a window into a clock window): ${res.startPhases.join(', ')}.\n\n` : '';
    return `${phases}${table(rows)}`;
  }
  if (r.benchmark === 'pacing-faults') {
    const res = r.results as Record<string, any>;
    const line = (name: string, s: any) => ({
      run: name,
      'x floor, median (min-max)': `${s.ratioMedian} (${s.ratioMin}-${s.ratioMax})`,
      'wasted requests explain': s.wastedRatioMedian,
      'first GET after (ms, median)': s.startGapMsMedian,
      'server answered page 1 (ms, median)': s.firstPageServerMsMedian ?? 'not measured',
      'rows correct': s.allCorrect ? 'yes' : 'no',
    });
    const rows = [line('faults, after', res.faulty), line('clean, after', res.clean)];
    if (res.before) rows.push(line('faults, before (140ab85)', res.before.faulty), line('clean, before (140ab85)', res.before.clean));
    return `${res.needed} requests, floor ${(res.floorMs / 1000).toFixed(1)} s, ${res.runs} runs per side.\n\n${table(rows)}`;
  }
  if (r.benchmark === 'multi-worker') {
    const res = r.results as Record<string, any>;
    return `${res.totalRequests} requests split over the workers, org limit ${res.limit} per ${res.windowMs} ms (burst ${res.burst}), ${res.latencyMs} ms latency; minimum ${(res.minimumMs / 1000).toFixed(1)} s; medians of ${res.runs} runs.\n\n${table(res.table)}`;
  }
  return undefined;
}

const files = existsSync(resultsDir) ? readdirSync(resultsDir).filter((f) => f.endsWith('.json')) : [];
const results = files.map((f) => JSON.parse(readFileSync(join(resultsDir, f), 'utf8')) as BenchResult);
results.sort((a, b) => (ORDER.indexOf(a.benchmark) + 99) % 99 - (ORDER.indexOf(b.benchmark) + 99) % 99);
const missed = results.flatMap((r) => r.targets.filter((t) => !t.met).map((t) => `- ${r.benchmark}: ${t.name} (wanted ${t.target}, measured ${t.value})`));
const doc = [
  '# Performance',
  '',
  'Generated by `npm run bench` from `bench/results/*.json` (do not edit by hand). Targets are ratios so they hold on',
  'a noisy machine; every comparison runs both sides in the same process tree, alternating.',
  '',
  missed.length ? `**Targets missed (${missed.length}):**\n\n${missed.join('\n')}` : '**All targets met.**',
  '',
  ...results.map(section),
].join('\n');
const target = resolve(import.meta.dirname, '..', 'docs', 'performance.md');
writeFileSync(target, doc);
console.log(`wrote ${target}`);
