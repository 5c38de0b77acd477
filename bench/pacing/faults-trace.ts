/**
 * Issue 19's faults run (bench/pacing/faults.ts) with a trace: faulty runs only, each with the client's events
 * (driver-faults-trace.ts) and the server's record of every API request (arrival, answer, status or dropped
 * connection), both written to $FAULTS_TRACE_DIR (default: faults-trace/ in the OS temp directory) as run-N.*.json, and
 * per run the ratio to the floor and the longest gaps between the server's arrivals. Run: npx tsx bench/pacing/faults-trace.ts [runs=6].
 * Diagnostic only: it writes no bench/results file.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createSimulatedOrg, startSimulatedServer, type SimulatedOrgOptions } from '../../src/testing/index';
import { floorMs } from './floor';

const run = promisify(execFile);
const RUNS = Number(process.argv[2] ?? 6);
const RATE_LIMIT = { requests: 50, windowMs: 1000, burst: 50 };
const BASE: SimulatedOrgOptions = { seed: 42, anchor: '2026-06-01T00:00:00Z', latencyMs: 10, rateLimit: RATE_LIMIT };
const FAULTS = { serverErrorRate: 0.05, connectionResetRate: 0.02 };
const dir = join(process.env.FAULTS_TRACE_DIR ?? join(tmpdir(), 'faults-trace'), '/');
mkdirSync(dir, { recursive: true });

const org0 = createSimulatedOrg(BASE);
const all = org0.truth.evaluations({ interval: { start: org0.data.start, end: org0.data.end }, status: ['FINISHED'], calibrations: 'exclude' });
const interval = `${new Date(org0.data.start).toISOString()}/${all[500]!.conversationStart}`;
const expected = org0.truth.evaluations({ interval, status: ['FINISHED'], calibrations: 'exclude' }).length;
const conversations = org0.truth.conversations({ interval, filters: { evaluationFilters: [{ type: 'and', predicates: [{ dimension: 'evaluationStatus', value: 'Finished' }] }] } });
const needed = Math.max(1, Math.ceil(conversations.length / 100)) + expected;
const floor = floorMs(RATE_LIMIT, needed, 0);

for (let i = 1; i <= RUNS; i++) {
  const server = await startSimulatedServer({ ...BASE, faults: FAULTS });
  const org = server.org;
  const handle = org.handle.bind(org);
  const t0 = performance.now();
  const log: Array<{ in: number; out: number; path: string; status: number | 'reset' }> = [];
  org.handle = async (request: Request) => {
    const path = new URL(request.url).pathname;
    const at = performance.now() - t0;
    const result = await handle(request);
    const status = result instanceof Response ? result.status : 'reset';
    if (path.startsWith('/api/v2/')) log.push({ in: Math.round(at * 10) / 10, out: Math.round((performance.now() - t0) * 10) / 10, path: path.replace(/^\/api\/v2\/quality\//, 'q/'), status });
    return result;
  };
  const traceFile = `${dir}run-${i}.client.json`;
  try {
    const driver = fileURLToPath(new URL('./driver-faults-trace.ts', import.meta.url));
    const input = JSON.stringify({ url: server.url, interval, clientId: org.options.clientId, clientSecret: org.options.clientSecret, traceFile });
    const { stdout } = await run(process.execPath, ['--import', 'tsx', driver, input], { maxBuffer: 64 * 1024 * 1024, timeout: 900_000 });
    const result = JSON.parse(stdout.trim().split('\n').pop()!) as { ids: string[]; error?: string };
    const span = log.at(-1)!.out - log[0]!.in;
    const gaps = log
      .map((r, k) => ({ from: k === 0 ? r.in : Math.max(...log.slice(0, k).map((x) => x.in)), to: r.in, at: k }))
      .map((g) => ({ ...g, ms: Math.round(g.to - g.from) }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 5);
    const failed = log.filter((r) => r.status === 'reset' || (typeof r.status === 'number' && r.status >= 500)).length;
    writeFileSync(`${dir}run-${i}.server.json`, JSON.stringify(log));
    process.stderr.write(
      `run ${i}: ${(span / floor).toFixed(3)} x (${Math.round(span)} ms, floor ${floor}), ${log.length} requests, ${failed} failed, rows ${result.ids.length}/${expected}` +
        `${result.error ? ` ERROR ${result.error}` : ''}; longest arrival gaps ${gaps.map((g) => `${g.ms} ms before #${g.at} (${log[g.at]!.path.slice(0, 40)})`).join(', ')}\n`,
    );
  } finally {
    await server.close();
  }
}
