/**
 * Starts worker.ts processes, releases them together, collects their reports. Shared by the multi-worker tests and
 * bench/multi-worker.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { WorkerConfig, WorkerReport } from './worker';

const script = fileURLToPath(new URL('./worker.ts', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

export interface RunningWorkers {
  /** Releases every worker at once (they are all ready by then). */
  go(): void;
  reports: Promise<WorkerReport[]>;
  kill(): void;
}

/** Spawns one process per config and resolves when all of them are ready to start. */
export async function startWorkers(configs: WorkerConfig[]): Promise<RunningWorkers> {
  const children: ChildProcess[] = [];
  const ready: Array<Promise<void>> = [];
  const done: Array<Promise<WorkerReport>> = [];
  for (const config of configs) {
    // `--import tsx` registers tsx's loader on Node 20 (>= 20.6) for both ESM and CJS.
    const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(config)], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(child);
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const received: string[] = [];
    let onLine: (() => void) | undefined;
    lines.on('line', (l) => {
      received.push(l);
      onLine?.();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    ready.push(
      new Promise<void>((resolve, reject) => {
        onLine = () => resolve();
        void exited.then((code) => reject(new Error(`worker exited before it was ready (${code}): ${stderr.slice(-2000)}`)));
      }),
    );
    done.push(
      exited.then((code) => {
        const last = received.at(-1);
        if (code !== 0 || !last) throw new Error(`worker failed (exit ${code}): ${stderr.slice(-2000)}`);
        return JSON.parse(last) as WorkerReport;
      }),
    );
  }
  try {
    await Promise.all(ready);
  } catch (e) {
    for (const c of children) c.kill('SIGKILL');
    throw e;
  }
  return {
    go: () => children.forEach((c) => c.stdin?.write('go\n')),
    reports: Promise.all(done),
    kill: () => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')),
  };
}

export interface Combined {
  workers: number;
  attempts: number;
  ok: number;
  rateLimited: number;
  /** 429s on attempts sent after the first window. */
  rateLimitedAfterFirstWindow: number;
  wallMs: number;
  /** Successful requests per second over the whole run, counted from the first attempt. */
  requestsPerSecond: number;
  /** (ok - burst) / seconds from the first to the last answered attempt: the refill rate the run achieved. */
  steadyRate: number;
  tokensIssued: number;
}

export function combine(reports: WorkerReport[], burst: number, windowMs: number): Combined {
  const attempts = reports.flatMap((r) => r.attempts).sort((a, b) => a[0] - b[0]);
  const first = attempts[0]?.[0] ?? 0;
  const lastOk = Math.max(...attempts.filter((a) => a[2] < 400).map((a) => a[0]));
  const ok = reports.reduce((n, r) => n + r.ok, 0);
  const start = Math.min(...reports.map((r) => r.startedAt));
  const end = Math.max(...reports.map((r) => r.finishedAt));
  return {
    workers: reports.length,
    attempts: attempts.length,
    ok,
    rateLimited: attempts.filter((a) => a[2] === 429).length,
    rateLimitedAfterFirstWindow: attempts.filter((a) => a[2] === 429 && a[0] >= first + windowMs).length,
    wallMs: end - start,
    requestsPerSecond: ok / ((end - start) / 1000),
    steadyRate: (ok - burst) / ((lastOk - first) / 1000),
    tokensIssued: reports.reduce((n, r) => n + r.tokensIssued, 0),
  };
}
