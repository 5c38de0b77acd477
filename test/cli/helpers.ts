/**
 * Runs the CLI as a child process (`node --import tsx src/cli/index.ts ...`), the way a user does, against a
 * simulated org served on 127.0.0.1 by this test process (or the CLI's own in-process one when no credentials are
 * set). Every byte the child writes is kept, so tests can check that no secret ever appears.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Clock } from '@org/gc-data';
import { createSimulatedOrg, startSimulatedServer, type SimulatedOrgHandle, type SimulatedOrgOptions, type SimulatedServer } from '../../src/testing/index';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(ROOT, 'src/cli/index.ts');

/** Credentials of the test org: a secret that must never show up in any output or file. */
export const TEST_CLIENT_ID = 'cli-test-client';
export const TEST_SECRET = 'cli-test-secret-9f3a7c1e-never-print-me';

/** Fixed anchor: the same data on every run; the test interval is a full day inside it. */
export const ANCHOR = '2026-01-10T00:00:00Z';
export const DAY = '2026-01-05T00:00:00Z/2026-01-06T00:00:00Z';

export interface Org {
  handle: SimulatedOrgHandle;
  server: SimulatedServer;
  url: string;
  close(): Promise<void>;
}

export async function startOrg(options: SimulatedOrgOptions = {}): Promise<Org> {
  const handle = createSimulatedOrg({ seed: 11, anchor: ANCHOR, days: 10, clientId: TEST_CLIENT_ID, clientSecret: TEST_SECRET, ...options });
  const server = await startSimulatedServer({ org: handle.org });
  return { handle, server, url: server.url, close: () => server.close() };
}

/** Every stdout/stderr byte of every run, for the no-secret check. */
export const transcript: string[] = [];

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Extra environment; GENESYS_* of the parent are never inherited. */
  env?: Record<string, string>;
  /** Connect to this org with the test credentials. */
  org?: Org;
  /** Called with the child once started (e.g. to send SIGINT later). */
  onStart?: (child: ChildProcess, output: { stdout: () => string; stderr: () => string }) => void;
  /**
   * Real time after which the child is killed and the run fails: a hang guard, not a speed bound (a CLI run that
   * takes 5 s alone took 30-70 s beside other suites on this 2-core machine). Below vitest.config.ts's 300 s so the
   * failure names the command. @default 240,000
   */
  timeoutMs?: number;
}

/** The environment that points the CLI at `org` with the test credentials. */
function orgEnv(org: Org): Record<string, string> {
  return { GENESYS_CLIENT_ID: TEST_CLIENT_ID, GENESYS_CLIENT_SECRET: TEST_SECRET, GENESYS_BASE_URL: org.url, GENESYS_AUTH_URL: org.url };
}

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GENESYS_') && !k.startsWith('GC_DATA_')) env[k] = v;
  return env;
}

export function runCli(args: string[], options: RunOptions = {}): Promise<RunResult> {
  const env: NodeJS.ProcessEnv = { ...cleanEnv(), NO_COLOR: '1', ...options.env };
  if (options.org) Object.assign(env, orgEnv(options.org), options.env);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`gc-data ${args.join(' ')} did not finish in time\nstderr:\n${stderr}`));
    }, options.timeoutMs ?? 240_000);
    options.onStart?.(child, { stdout: () => stdout, stderr: () => stderr });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      transcript.push(stdout, stderr);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export function tempDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `gc-data-${name}-`));
}

/** Every file under `dir`, with its text (for the no-secret check). */
export function filesUnder(dir: string): Array<{ path: string; text: string }> {
  const out: Array<{ path: string; text: string }> = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push({ path, text: readFileSync(path, 'utf8') });
  }
  return out;
}

export function ndjson<T = Record<string, unknown>>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);
}

/** First column of a CSV without quoted commas in it (ids). */
export function csvIds(path: string): string[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.slice(0, l.indexOf(',')));
}

export async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The last line of stdout parsed as JSON (the --json summary). */
export function jsonSummary<T = Record<string, unknown>>(text: string): T {
  const lines = text.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] as string) as T;
}

/**
 * Runs the CLI in this process (`runCli` of src/cli/run.ts) with the given environment only (nothing inherited):
 * fast, for runs that must stop before any request. Rows must go to a file (`--out -` would be this process's stdout).
 */
export async function runInProcess(args: string[], options: { env?: Record<string, string>; org?: Org; clock?: Clock } = {}): Promise<RunResult> {
  const { Writable } = await import('node:stream');
  const { runCli: run } = await import('../../src/cli/run');
  let stdout = '';
  let stderr = '';
  const sink = (add: (s: string) => void) =>
    new Writable({
      write(chunk: Buffer | string, _enc, cb) {
        add(String(chunk));
        cb();
      },
    });
  const env: NodeJS.ProcessEnv = { ...options.env };
  if (options.org) Object.assign(env, orgEnv(options.org), options.env);
  const code = await run({
    argv: args,
    env,
    streams: { stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)) },
    ...(options.clock ? { clock: options.clock } : {}),
  });
  transcript.push(stdout, stderr);
  return { code, signal: null, stdout, stderr };
}
