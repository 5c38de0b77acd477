/**
 * Shared shape of every benchmark result: `bench/results/<name>.json`. `bench/run.ts` renders them all into
 * docs/performance.md, so every benchmark writes the same envelope.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BenchTarget {
  name: string;
  /** Human form of the target, e.g. ">= 50 MB/s". */
  target: string;
  value: number;
  met: boolean;
}

export interface BenchResult {
  benchmark: string;
  date: string;
  node: string;
  machine: { cpus: number; model: string; totalMemGiB: number };
  /**
   * What else the machine was doing: the 1/5/15-minute load averages when the result was written, and the
   * `BENCH_CONDITIONS` text given by whoever ran it (e.g. how the benchmark was isolated from other work). Wall-clock
   * figures mean little without it.
   */
  conditions?: { loadAverage: number[]; note?: string };
  /** Free-form tables: rows of named measurements. */
  results: Record<string, unknown>;
  targets: BenchTarget[];
  /** One line a reader can take away. */
  reading: string;
}

export function machineInfo(): BenchResult['machine'] {
  const c = cpus();
  return { cpus: c.length, model: c[0]?.model ?? 'unknown', totalMemGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10 };
}

export const resultsDir = join(dirname(fileURLToPath(import.meta.url)), 'results');

export function writeResult(r: Omit<BenchResult, 'date' | 'node' | 'machine' | 'conditions'>): string {
  const note = process.env.BENCH_CONDITIONS;
  const conditions = { loadAverage: loadavg().map((l) => Math.round(l * 100) / 100), ...(note ? { note } : {}) };
  const full: BenchResult = { ...r, date: new Date().toISOString(), node: process.version, machine: machineInfo(), conditions };
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${r.benchmark}.json`);
  writeFileSync(file, JSON.stringify(full, null, 2) + '\n');
  return file;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
