/**
 * Recording download throughput and memory (issue 21): `Downloader` (stream to .part, sha256 while streaming,
 * group fsync, rename, Range-resumable, retries; src/transport/download.ts) against a plain streaming `fetch` piped
 * to a file: the same files, the same concurrency, served by the simulated org's recording files origin (node:http
 * on 127.0.0.1, AES-CTR bytes; src/testing/serve/recording-files.ts).
 *
 * `ours` is driven the way a hold drives it (src/legal-hold/batch-job.ts): every file handed to the downloader at
 * once (it runs `concurrency` at a time), and each file's resume-state line appended through the hold's AppendLog
 * (src/legal-hold/append-log.ts) once the download resolved, i.e. once the file is durable. The clock stops when
 * the last line is durable: ours pays for every fsync of its durability rule; the plain fetch writes to the page
 * cache only.
 *
 *   npx tsx bench/legal-hold/download.ts [--total-mb 1024] [--file-mb 10] [--concurrency 4] [--runs 5] [--big-file-mb 256]
 *
 * Made to give a fair figure on a loaded machine (2 cores shared with other work):
 * - each side runs in its own child process (its peak RSS, `resourceUsage().maxRSS`, is its own), a fresh one per run;
 * - the sides alternate within each round (the order rotates from round to round), and the throughput ratio is taken
 *   per round, between runs seconds apart, then the median over the rounds: a load change between rounds moves both
 *   sides of a ratio, not one side's median;
 * - two reference sides on the 1 GB case: `plain+fsync`, the plain fetch made durable the simple way (fsync, rename
 *   and folder fsync per file before the worker moves on: what ours did before its group fsync), and
 *   `ours-inline-hash`, ours with the sha256 on the main thread (what the hash worker, hash-lane.ts, brings here);
 * - CPU time per GiB (user + system of the child) is reported too: it barely moves with load, wall time does.
 * Peak RSS: ours with 1 GB of recordings against a tenth of that, and one big file (memory must not grow with a
 * file's size either).
 *
 * Targets: throughput >= 0.9 x the plain fetch (median of the per-round ratios, 1 GB); peak RSS flat (within +25%).
 * Writes bench/results/legal-hold-download.json (the envelope of bench/lib.ts).
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median, writeResult } from '../lib';

const FILE = fileURLToPath(import.meta.url);
const SIDES = ['plain', 'ours', 'ours-inline-hash', 'plain+fsync'] as const;
type Side = (typeof SIDES)[number];

interface ChildResult {
  bytes: number;
  ms: number;
  cpuMs: number;
  maxRssMiB: number;
  files: number;
  /** Ours: group fsyncs that made the files durable (files / groups = files per fsync round). */
  syncGroups?: number;
}

/** One side, in a child process: download every URL with `concurrency` workers into `dir`. */
async function child(side: Side, urlsFile: string, dir: string, concurrency: number): Promise<void> {
  const urls = JSON.parse(readFileSync(urlsFile, 'utf8')) as string[];
  const { Downloader } = await import('../../src/transport/download');
  if (side === 'ours-inline-hash') (await import('../../src/transport/hash-lane')).useHashWorker(false);
  const downloader = new Downloader({ concurrency });
  // Warm-up outside the timing, the same for both sides: Node's fetch loads undici on first use, and ours also loads
  // ky (http.ts). Start-up costs are bench/footprint's subject; this one measures the steady download rate.
  await (await fetch(new URL('/warm-up', urls[0]!))).arrayBuffer();
  if (side.startsWith('ours')) await (await import('../../src/transport/http')).warmHttp();
  let next = 0;
  let bytes = 0;
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  if (side === 'ours' || side === 'ours-inline-hash') {
    const { AppendLog } = await import('../../src/legal-hold/append-log');
    const log = new AppendLog(join(dir, 'entries.jsonl'));
    await Promise.all(
      urls.map(async (url, i) => {
        const got = await downloader.download({ url, dest: join(dir, `f${i}.bin`) });
        await log.append(JSON.stringify({ path: `f${i}.bin`, size: got.bytes, sha256: got.sha256 }));
        bytes += got.bytes;
      }),
    );
  } else await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < urls.length; i = next++) {
        const dest = join(dir, `f${i}.bin`);
        const res = await fetch(urls[i]!);
        if (!res.ok || !res.body) throw new Error(`plain fetch: ${res.status}`);
        let n = 0;
        const counted = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
        counted.on('data', (c: Buffer) => (n += c.length));
        const target = side === 'plain' ? dest : `${dest}.part`;
        await pipeline(counted, createWriteStream(target));
        if (side === 'plain+fsync') {
          const handle = await open(target, 'r+');
          await handle.sync();
          await handle.close();
          await rename(target, dest);
          const d = await open(dir, 'r');
          await d.sync();
          await d.close();
        }
        bytes += n;
      }
    }),
  );
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  const result: ChildResult = {
    bytes,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssMiB: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10,
    files: urls.length,
    ...(side.startsWith('ours') ? { syncGroups: downloader.stats().syncGroups } : {}),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function runChild(side: Side, urlsFile: string, dir: string, concurrency: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['--import', 'tsx', FILE, '--child', side, '--urls', urlsFile, '--dir', dir, '--concurrency', String(concurrency)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    c.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    c.on('error', reject);
    c.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as ChildResult) : reject(new Error(`child ${side} exited ${code}`))));
  });
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;
const mibps = (r: ChildResult) => r.bytes / 2 ** 20 / (r.ms / 1000);
const cpuPerGiB = (r: ChildResult) => r.cpuMs / (r.bytes / 2 ** 30);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      child: { type: 'string' },
      urls: { type: 'string' },
      dir: { type: 'string' },
      concurrency: { type: 'string' },
      'total-mb': { type: 'string' },
      'file-mb': { type: 'string' },
      'big-file-mb': { type: 'string' },
      runs: { type: 'string' },
    },
  });
  const concurrency = Number(values.concurrency ?? 4);
  if (values.child) return child(values.child as Side, values.urls!, values.dir!, concurrency);

  const totalMiB = Number(values['total-mb'] ?? 1024);
  const fileMiB = Number(values['file-mb'] ?? 10);
  const bigMiB = Number(values['big-file-mb'] ?? 256);
  const runs = Number(values.runs ?? 5);
  const { SimulatedOrg } = await import('../../src/testing/engine/org');
  const { configureLegalHoldSim, presignedUrl } = await import('../../src/testing/state/legal-hold-sim');
  const { startRecordingFilesServer } = await import('../../src/testing/serve/recording-files');
  const { recordingsOf } = await import('../../src/testing/data/recordings');
  const org = new SimulatedOrg({ seed: 21, conversations: 5000 });
  // The org's first recording is the big one (the single-file RSS row); the others have fileMiB.
  const bigId = recordingsOf(org.data, org.data.core(0))[0]!.id;
  configureLegalHoldSim(org, {
    recordingBytes: (r) => (r.recordingId === bigId ? bigMiB : fileMiB) * 2 ** 20,
    urlTtlMs: 24 * 3_600_000,
  });
  const server = await startRecordingFilesServer({ org });
  const all: string[] = [];
  for (let i = 0; all.length < Math.ceil(totalMiB / fileMiB) + 1 && i < org.data.size; i++) {
    const c = org.data.core(i);
    for (const r of recordingsOf(org.data, c)) all.push(presignedUrl(org, c, r));
  }
  const work = mkdtempSync(join(tmpdir(), 'gc-bench-legal-hold-'));
  const table: Array<Record<string, unknown>> = [];
  const log = (s: string) => process.stderr.write(`${s}\n`);
  try {
    const cases = [
      { name: 'tenth', urls: all.slice(1, 1 + Math.max(1, Math.round(totalMiB / 10 / fileMiB))), rounds: runs, sides: ['plain', 'ours'] as const },
      { name: 'full', urls: all.slice(1, 1 + Math.max(1, Math.round(totalMiB / fileMiB))), rounds: runs, sides: SIDES },
      { name: 'one big file', urls: all.slice(0, 1), rounds: 1, sides: ['plain', 'ours'] as const },
    ];
    for (const cse of cases) {
      const urlsFile = join(work, `urls-${cse.name.replace(/\W/g, '')}.json`);
      writeFileSync(urlsFile, JSON.stringify(cse.urls));
      const samples: Partial<Record<Side, ChildResult[]>> = {};
      const ratios: number[] = [];
      const durableRatios: number[] = [];
      const inlineRatios: number[] = [];
      for (let round = 0; round < cse.rounds; round++) {
        // Rotate the order: no side always runs first (cold page cache) or last.
        const order = cse.sides.map((_, k) => cse.sides[(k + round) % cse.sides.length]!);
        const got: Partial<Record<Side, ChildResult>> = {};
        for (const side of order) {
          const dir = join(work, `${side.replace(/\W/g, '')}-${round}`);
          mkdirSync(dir, { recursive: true });
          got[side] = await runChild(side, urlsFile, dir, concurrency);
          rmSync(dir, { recursive: true, force: true });
          (samples[side] ??= []).push(got[side]!);
        }
        ratios.push(mibps(got.ours!) / mibps(got.plain!));
        if (got['plain+fsync']) durableRatios.push(mibps(got.ours!) / mibps(got['plain+fsync']));
        if (got['ours-inline-hash']) inlineRatios.push(mibps(got['ours-inline-hash']) / mibps(got.plain!));
        log(`${cse.name} round ${round + 1}/${cse.rounds}: ${order.map((s) => `${s} ${round1(mibps(got[s]!))} MiB/s`).join(', ')}; ratio ${round2(ratios[ratios.length - 1]!)}`);
      }
      const side = (s: Side) => {
        const xs = samples[s];
        if (!xs) return undefined;
        return {
          MiBps: round1(median(xs.map(mibps))),
          cpuMsPerGiB: Math.round(median(xs.map(cpuPerGiB))),
          peakRssMiB: Math.max(...xs.map((x) => x.maxRssMiB)),
        };
      };
      const sorted = [...ratios].sort((a, b) => a - b);
      table.push({
        case: cse.name,
        totalMiB: round1(samples.ours![0]!.bytes / 2 ** 20),
        files: cse.urls.length,
        concurrency,
        rounds: cse.rounds,
        ratio: round2(median(ratios)),
        ratioMin: round2(sorted[0]!),
        ratioMax: round2(sorted[sorted.length - 1]!),
        ratioVsDurable: durableRatios.length ? round2(median(durableRatios)) : undefined,
        ratioInlineHash: inlineRatios.length ? round2(median(inlineRatios)) : undefined,
        plain: side('plain'),
        ours: side('ours'),
        oursInlineHash: side('ours-inline-hash'),
        plainFsync: side('plain+fsync'),
        oursFilesPerSyncGroup: samples.ours?.every((x) => x.syncGroups) ? round1(median(samples.ours.map((x) => x.files / x.syncGroups!))) : undefined,
        samples,
      });
    }
  } finally {
    await server.close();
    rmSync(work, { recursive: true, force: true });
  }
  type Row = { case: string; totalMiB: number; ratio: number; ratioMin: number; ratioMax: number; ratioVsDurable?: number; ratioInlineHash?: number; rounds: number; ours: { peakRssMiB: number; MiBps: number }; plain: { MiBps: number }; plainFsync?: { MiBps: number } };
  const [small, big, one] = table as unknown as [Row, Row, Row];
  const file = writeResult({
    benchmark: 'legal-hold-download',
    results: { table },
    targets: [
      { name: `throughput vs plain streaming fetch (${big.totalMiB} MiB, median of ${big.rounds} per-round ratios)`, target: '>= 0.9 x', value: big.ratio, met: big.ratio >= 0.9 },
      {
        name: `peak RSS, ${big.totalMiB} MiB vs ${small.totalMiB} MiB of recordings`,
        target: 'flat (within +25%)',
        value: round2(big.ours.peakRssMiB / small.ours.peakRssMiB),
        met: big.ours.peakRssMiB <= small.ours.peakRssMiB * 1.25,
      },
      {
        name: `peak RSS, one ${one.totalMiB} MiB file vs ${small.totalMiB} MiB in small files`,
        target: 'flat (within +25%)',
        value: round2(one.ours.peakRssMiB / small.ours.peakRssMiB),
        met: one.ours.peakRssMiB <= small.ours.peakRssMiB * 1.25,
      },
    ],
    reading:
      `Downloader ${big.ratio} x the plain fetch's throughput on ${big.totalMiB} MiB (per-round ratios ${big.ratioMin}-${big.ratioMax}; ` +
      `${big.ours.MiBps} vs ${big.plain.MiBps} MiB/s), ${big.ratioVsDurable} x a plain fetch with an fsync per file before it moves on, ` +
      `${big.ratioInlineHash} x the plain fetch with the sha256 on the main thread instead of the worker; ` +
      `peak RSS ${big.ours.peakRssMiB} MiB (${small.ours.peakRssMiB} MiB for a tenth of the bytes, ${one.ours.peakRssMiB} MiB for one ${one.totalMiB} MiB file).`,
  });
  process.stdout.write(`wrote ${file}\n`);
}

await main();
