/**
 * Recording download throughput and memory: `Downloader` (stream to .part, sha256 while streaming, fsync, rename,
 * Range-resumable, retries) against a plain streaming `fetch` piped to a file, the same files, the same
 * concurrency, served by the simulated org's recording files origin (node:http on 127.0.0.1, AES-CTR bytes).
 * Each side runs in its own child process, so its peak RSS (`resourceUsage().maxRSS`) is its own, and with 1 GB of
 * recordings against 1/10th of that shows whether memory stays flat.
 *
 *   npx tsx bench/legal-hold/download.ts [--total-mb 1024] [--file-mb 10] [--concurrency 4] [--runs 3]
 *
 * Targets (issue 21): throughput >= 0.9 x the plain fetch; peak RSS flat with 1 GB of recordings.
 * Writes bench/legal-hold/result.json (the envelope of bench/lib.ts).
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { machineInfo, median, type BenchResult } from '../lib';

const HERE = dirname(fileURLToPath(import.meta.url));
const FILE = fileURLToPath(import.meta.url);

interface ChildResult {
  bytes: number;
  ms: number;
  maxRssMiB: number;
  files: number;
}

async function child(mode: 'ours' | 'plain', urlsFile: string, dir: string, concurrency: number): Promise<void> {
  const { readFileSync } = await import('node:fs');
  const urls = JSON.parse(readFileSync(urlsFile, 'utf8')) as string[];
  const { Downloader } = await import('../../src/transport/download');
  const downloader = new Downloader({ concurrency });
  let next = 0;
  let bytes = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < urls.length; i = next++) {
        const dest = join(dir, `f${i}.bin`);
        if (mode === 'ours') {
          // (Not `bytes += await ...`: that reads `bytes` before the await and loses the other workers' additions.)
          const got = await downloader.download({ url: urls[i]!, dest });
          bytes += got.bytes;
        }
        else {
          const res = await fetch(urls[i]!);
          if (!res.ok || !res.body) throw new Error(`plain fetch: ${res.status}`);
          let n = 0;
          const counted = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
          counted.on('data', (c: Buffer) => (n += c.length));
          await pipeline(counted, createWriteStream(dest));
          bytes += n;
        }
      }
    }),
  );
  const ms = performance.now() - started;
  const result: ChildResult = { bytes, ms, maxRssMiB: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10, files: urls.length };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function runChild(mode: 'ours' | 'plain', urlsFile: string, dir: string, concurrency: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['--import', 'tsx', FILE, '--child', mode, '--urls', urlsFile, '--dir', dir, '--concurrency', String(concurrency)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    c.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    c.on('error', reject);
    c.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as ChildResult) : reject(new Error(`child ${mode} exited ${code}`))));
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      child: { type: 'string' },
      urls: { type: 'string' },
      dir: { type: 'string' },
      concurrency: { type: 'string' },
      'total-mb': { type: 'string' },
      'file-mb': { type: 'string' },
      runs: { type: 'string' },
    },
  });
  const concurrency = Number(values.concurrency ?? 4);
  if (values.child) return child(values.child as 'ours' | 'plain', values.urls!, values.dir!, concurrency);

  const totalMiB = Number(values['total-mb'] ?? 1024);
  const fileMiB = Number(values['file-mb'] ?? 10);
  const runs = Number(values.runs ?? 3);
  const { SimulatedOrg } = await import('../../src/testing/engine/org');
  const { configureLegalHoldSim, presignedUrl } = await import('../../src/testing/state/legal-hold-sim');
  const { startRecordingFilesServer } = await import('../../src/testing/serve/recording-files');
  const { recordingsOf } = await import('../../src/testing/data/recordings');
  const org = new SimulatedOrg({ seed: 21, conversations: 5000 });
  configureLegalHoldSim(org, { recordingBytes: fileMiB * 2 ** 20, urlTtlMs: 24 * 3_600_000 });
  const server = await startRecordingFilesServer({ org });

  const urlsFor = (n: number): string[] => {
    const out: string[] = [];
    for (let i = 0; out.length < n && i < org.data.size; i++) {
      const c = org.data.core(i);
      for (const r of recordingsOf(org.data, c)) if (out.length < n) out.push(presignedUrl(org, c, r));
    }
    return out;
  };
  const work = mkdtempSync(join(tmpdir(), 'gc-bench-legal-hold-'));
  const table: Record<string, unknown>[] = [];
  try {
    for (const mib of [Math.max(fileMiB, Math.round(totalMiB / 10)), totalMiB]) {
      const files = Math.max(1, Math.round(mib / fileMiB));
      const urlsFile = join(work, `urls-${files}.json`);
      writeFileSync(urlsFile, JSON.stringify(urlsFor(files)));
      const samples: Record<'ours' | 'plain', ChildResult[]> = { ours: [], plain: [] };
      for (let run = 0; run < runs; run++) {
        // Alternate the order so neither side always gets the warmer page cache.
        for (const mode of run % 2 === 0 ? (['plain', 'ours'] as const) : (['ours', 'plain'] as const)) {
          const dir = join(work, `${mode}-${run}`);
          mkdirSync(dir, { recursive: true });
          samples[mode].push(await runChild(mode, urlsFile, dir, concurrency));
          rmSync(dir, { recursive: true, force: true });
        }
      }
      const mbps = (r: ChildResult) => r.bytes / 2 ** 20 / (r.ms / 1000);
      const row = {
        totalMiB: files * fileMiB,
        files,
        fileMiB,
        concurrency,
        runs,
        plainMiBps: Math.round(median(samples.plain.map(mbps)) * 10) / 10,
        oursMiBps: Math.round(median(samples.ours.map(mbps)) * 10) / 10,
        ratio: Math.round((median(samples.ours.map(mbps)) / median(samples.plain.map(mbps))) * 100) / 100,
        plainPeakRssMiB: Math.max(...samples.plain.map((s) => s.maxRssMiB)),
        oursPeakRssMiB: Math.max(...samples.ours.map((s) => s.maxRssMiB)),
        samples,
      };
      table.push(row);
      process.stderr.write(`${JSON.stringify({ ...row, samples: undefined })}\n`);
    }
  } finally {
    await server.close();
    rmSync(work, { recursive: true, force: true });
  }
  const small = table[0] as { oursPeakRssMiB: number };
  const big = table[table.length - 1] as { ratio: number; oursPeakRssMiB: number; totalMiB: number };
  const result: BenchResult = {
    benchmark: 'legal-hold-download',
    date: new Date().toISOString(),
    node: process.version,
    machine: machineInfo(),
    results: { table },
    targets: [
      { name: `throughput vs plain streaming fetch (${big.totalMiB} MiB)`, target: '>= 0.9 x', value: big.ratio, met: big.ratio >= 0.9 },
      {
        name: `peak RSS ${big.totalMiB} MiB vs ${(table[0] as { totalMiB: number }).totalMiB} MiB of recordings`,
        target: 'flat (within +25%)',
        value: Math.round((big.oursPeakRssMiB / small.oursPeakRssMiB) * 100) / 100,
        met: big.oursPeakRssMiB <= small.oursPeakRssMiB * 1.25,
      },
    ],
    reading: `Downloader ${big.ratio} x the plain fetch's throughput on ${big.totalMiB} MiB; peak RSS ${big.oursPeakRssMiB} MiB (vs ${small.oursPeakRssMiB} MiB for a tenth of the bytes).`,
  };
  writeFileSync(join(HERE, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${result.reading}\n`);
}

await main();
