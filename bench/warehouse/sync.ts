/**
 * Request cost of the incremental sync (issue 20): evaluation GETs per run, counted by the simulated org.
 *
 *   node --import tsx bench/warehouse/sync.ts [--per-day 200] [--days 30] [--pglite] [--save]
 *
 * A simulated org (fixed seed; the clock moves only through advance()) is synced into a destination (an in-memory
 * map, or with --pglite the embedded PostgreSQL warehouse through postgresSyncState), then:
 *   initial:        the first run: one GET per evaluation in the window;
 *   unchanged:      a second run at once: target exactly 0 evaluation GETs, only discovery requests;
 *   after k days:   advance the org 1, 3 and 7 days; k = the evaluations the truth says are new or changed in the
 *                   window (late, finished, released, rescored): target exactly k GETs beyond discovery.
 * Each phase also reports discovery requests (details query pages), the changes applied and the wall time.
 * With --save the result goes to bench/results/warehouse-sync.json (the envelope of bench/lib.ts).
 */
import { setupServer } from 'msw/node';
import { GenesysClient } from '../../src/index';
import { QualityExporter } from '../../src/quality/exporter';
import { createPostgresWarehouse } from '../../src/postgres/index';
import { postgresSyncState } from '../../src/sync/postgres-state';
import { FileSyncStateStore } from '../../src/sync/file-store';
import type { EvaluationSyncChange, SyncBatch, SyncStateStore } from '../../src/sync/types';
import { createSimulatedOrg } from '../../src/testing/index';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeResult, type BenchTarget } from '../lib';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const PER_DAY = arg('per-day', 200);
const DAYS = arg('days', 30);
const PGLITE = process.argv.includes('--pglite');
const ANCHOR = Date.parse('2026-11-20T00:00:00Z');
const LOOKBACK_DAYS = DAYS + 10;
const GET_ROUTE = 'GET /api/v2/quality/conversations/{conversationId}/evaluations/{evaluationId}';
const DETAILS_ROUTE = 'POST /api/v2/analytics/conversations/details/query';

const sim = createSimulatedOrg({ seed: 20, anchor: ANCHOR, days: DAYS, conversationsPerDay: PER_DAY, now: () => ANCHOR, rateLimit: false });
const server = setupServer(...sim.handlers);
server.listen({ onUnhandledRequest: 'error' });
const client = new GenesysClient({ clientId: sim.clientId, clientSecret: sim.clientSecret, baseUrl: sim.apiBaseUrl, authUrl: sim.authBaseUrl, rateLimit: { requestsPerMinute: 1_000_000 } });

const warehouse = PGLITE ? createPostgresWarehouse({ pglite: 'memory://' }) : undefined;
const state: SyncStateStore = warehouse ? postgresSyncState(warehouse) : new FileSyncStateStore(join(mkdtempSync(join(tmpdir(), 'gc-bench-sync-')), 'state.log'));
const rows = new Map<string, string>();
const apply = warehouse
  ? undefined
  : (batch: SyncBatch<EvaluationSyncChange>) => {
      for (const c of batch.changes) {
        if (c.op === 'upsert') rows.set(c.row.id.toLowerCase(), c.changedAt);
        else rows.delete(c.evaluationId);
      }
    };

/** The truth in the window: id -> changedDate, finished non-calibration evaluations. */
function truth(): Map<string, string> {
  const end = sim.now();
  const start = Math.floor((end - LOOKBACK_DAYS * 86_400_000) / 86_400_000) * 86_400_000;
  return new Map(sim.truth.evaluations({ interval: { start, end }, status: ['FINISHED'], calibrations: 'exclude' }).map((e) => [e.evaluationId.toLowerCase(), e.changedDate]));
}

interface Phase {
  phase: string;
  expectedGets: number;
  gets: number;
  discoveryRequests: number;
  new: number;
  changed: number;
  deleted: number;
  unchanged: number;
  ms: number;
}

async function run(phase: string, expectedGets: number): Promise<Phase> {
  const g0 = sim.stats.count(GET_ROUTE);
  const d0 = sim.stats.count(DETAILS_ROUTE);
  const t0 = performance.now();
  const s = await new QualityExporter(client).sync({ lookback: `P${LOOKBACK_DAYS}D`, state, ...(apply ? { apply } : {}), now: () => sim.now() });
  return {
    phase,
    expectedGets,
    gets: sim.stats.count(GET_ROUTE) - g0,
    discoveryRequests: sim.stats.count(DETAILS_ROUTE) - d0,
    new: s.new,
    changed: s.changed,
    deleted: s.deleted,
    unchanged: s.unchanged,
    ms: Math.round(performance.now() - t0),
  };
}

const phases: Phase[] = [];
try {
  let before = truth();
  phases.push(await run('initial', before.size));
  phases.push(await run('unchanged', 0));
  for (const days of [1, 3, 7]) {
    sim.advance(`P${days}D`);
    const now = truth();
    const k = [...now].filter(([id, at]) => before.get(id) !== at).length;
    phases.push(await run(`after ${days} more day(s)`, k));
    before = now;
    phases.push(await run(`unchanged after ${days} day(s)`, 0));
  }
} finally {
  server.close();
  await client.close();
  await warehouse?.close();
}

console.table(phases);
const targets: BenchTarget[] = phases.map((p) => ({
  name: `${p.phase}: evaluation GETs`,
  target: p.expectedGets === 0 ? 'exactly 0' : `exactly k = ${p.expectedGets}`,
  value: p.gets,
  met: p.gets === p.expectedGets,
}));
const allMet = targets.every((t) => t.met);
console.log(allMet ? 'every phase sent exactly the expected evaluation GETs' : 'MISSED: some phase sent other than the expected GETs');
if (process.argv.includes('--save')) {
  const file = writeResult({
    benchmark: 'warehouse-sync',
    results: { perDay: PER_DAY, days: DAYS, destination: PGLITE ? 'pglite warehouse' : 'memory + FileSyncStateStore', phases },
    targets,
    reading: `A sync with nothing changed sends 0 evaluation GETs (only ${phases[1]?.discoveryRequests ?? '?'} details-query pages); after k changes exactly k GETs.`,
  });
  console.log(`saved ${file}`);
}
process.exitCode = allMet ? 0 : 1;
