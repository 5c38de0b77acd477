/**
 * Crash safety of the sync into a real PostgreSQL server (issue 20): `gc-data sync evaluations` (a child process)
 * syncs a simulated org of >= 50,000 finished evaluations and is killed with SIGKILL 20 times at random points, each
 * kill followed by a rerun of the same command (which the next kill may hit too); the last rerun finishes.
 *
 *   DATABASE_URL=postgres://user@127.0.0.1:5432/db node --import tsx bench/warehouse/crash.ts [--kills 20]
 *     [--per-day 3400] [--seed 20] [--batch-size 500] [--save]
 *
 * Kill points: 20 positions drawn at random (seeded) over the run's evaluation GETs, sorted; a run is killed once
 * the org has served that many GETs in total, after a further random 0-400 ms (so a kill lands while evaluations are
 * fetched, while a batch is COPYed or upserted, or at its commit); one kill in five instead comes 0.3-3 s after the
 * start (start-up, migration check, state load, discovery).
 * After every kill, before the rerun: no evaluation row version was written twice (an audit trigger installed by the
 * bench, not the SDK, records every insert and update of `evaluations`), every row present equals the org's truth for
 * that evaluation, no question-score row without its evaluation, and the sync state holds a fingerprint for exactly
 * the evaluations in the table. At the end: the table equals the truth (every finished evaluation of the window,
 * nothing else), each has its question-score rows, 0 duplicates.
 * With --save the result goes to bench/results/warehouse-crash.json (the envelope of bench/lib.ts).
 */
import pg from 'pg';
import { createSimulatedOrg, startSimulatedServer } from '../../src/testing/index';
import { Rng } from '../../src/testing/data/rng';
import { runCli } from '../../test/cli/helpers';
import { writeResult } from '../lib';
import { databaseUrl, numberArg } from './setup';

const KILLS = numberArg('kills', 20);
const PER_DAY = numberArg('per-day', 3_400);
const SEED = numberArg('seed', 20);
const BATCH = numberArg('batch-size', 500);
const DATABASE_URL = databaseUrl('bench/warehouse/crash.ts');
const ANCHOR = Date.parse('2026-11-20T00:00:00Z');
const DAYS = 10;
const LOOKBACK = `P${DAYS + 1}D`;
const GET_ROUTE = 'GET /api/v2/quality/conversations/{conversationId}/evaluations/{evaluationId}';
const CLIENT_ID = 'crash-bench-client';
const SECRET = 'crash-bench-secret-never-printed';

// Seeded (the simulated org's generator): the same kill points for the same --seed.
const rng = new Rng(SEED * 7919);
const rnd = () => rng.next();

// The org's clock stands still: its truth is fixed for the whole bench.
const handle = createSimulatedOrg({
  seed: SEED,
  anchor: ANCHOR,
  days: DAYS,
  conversationsPerDay: PER_DAY,
  evaluatedShare: 1,
  evaluationsPerConversation: 3,
  calibrationShare: 0,
  now: () => ANCHOR,
  // A budget the org announces (the client paces to it: with none announced it keeps to 20 requests/s), far above
  // what this machine serves: the bench measures crash safety, not pacing.
  rateLimit: { requests: 600_000, windowMs: 60_000 },
  clientId: CLIENT_ID,
  clientSecret: SECRET,
});
const server = await startSimulatedServer({ org: handle.org });
const windowStart = Math.floor((ANCHOR - (DAYS + 1) * 86_400_000) / 86_400_000) * 86_400_000;
const truth = new Map(
  handle.truth
    .evaluations({ interval: { start: windowStart, end: ANCHOR }, status: ['FINISHED'], calibrations: 'exclude' })
    .map((e) => [e.evaluationId.toLowerCase(), e]),
);
console.log(`simulated org: ${truth.size} finished evaluations in the window (${PER_DAY * DAYS} conversations)`);
if (truth.size < 50_000) console.warn(`fewer than 50,000 evaluations: raise --per-day`);

const schema = `crash_bench_${process.pid}`;
const db = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
const s = `"${schema}"`;
const args = ['sync', 'evaluations', '--database', DATABASE_URL, '--schema', schema, '--lookback', LOOKBACK, '--now', new Date(ANCHOR).toISOString(), '--batch-size', String(BATCH), '--progress', 'off', '--json', '--requests-per-minute', '100000'];

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  getsServed: number;
}

/** One `gc-data sync` child (test/cli/helpers.ts runs it); `killAt` decides when (if ever) it gets SIGKILL. */
async function run(killAt?: { gets: number; delayMs: number } | { afterMs: number }): Promise<Run> {
  const g0 = handle.stats.count(GET_ROUTE);
  const t0 = performance.now();
  const timers: NodeJS.Timeout[] = [];
  try {
    const r = await runCli(args, {
      env: { GENESYS_CLIENT_ID: CLIENT_ID, GENESYS_CLIENT_SECRET: SECRET, GENESYS_BASE_URL: server.url, GENESYS_AUTH_URL: server.url },
      // A whole sync of 50,000 evaluations on a loaded machine: minutes.
      timeoutMs: 60 * 60_000,
      onStart: (child) => {
        if (killAt && 'afterMs' in killAt) timers.push(setTimeout(() => child.kill('SIGKILL'), killAt.afterMs));
        else if (killAt) {
          const poll = setInterval(() => {
            if (handle.stats.count(GET_ROUTE) >= killAt.gets) {
              clearInterval(poll);
              timers.push(setTimeout(() => child.kill('SIGKILL'), killAt.delayMs));
            }
          }, 2);
          timers.push(poll);
        }
      },
    });
    return { ...r, ms: Math.round(performance.now() - t0), getsServed: handle.stats.count(GET_ROUTE) - g0 };
  } finally {
    for (const t of timers) clearTimeout(t);
  }
}

async function one<T>(sql: string): Promise<T> {
  return (await db.query(sql)).rows[0] as T;
}

/** What must hold after any kill: nothing wrong, nothing twice, state and tables agree. */
async function check(final: boolean): Promise<{ rows: number; scoreRows: number; problems: string[] }> {
  const problems: string[] = [];
  const exists = await one<{ t: string | null }>(`SELECT to_regclass('${s}.evaluations')::text AS t`);
  if (exists.t === null) return { rows: 0, scoreRows: 0, problems };
  const rows = (await db.query(`SELECT evaluation_id::text AS id, conversation_id::text AS c, form_id::text AS f, changed_at, total_score::float8 AS score, deleted_at FROM ${s}.evaluations`)).rows as Array<{
    id: string;
    c: string;
    f: string;
    changed_at: Date;
    score: number | null;
    deleted_at: Date | null;
  }>;
  for (const r of rows) {
    const t = truth.get(r.id);
    if (!t) problems.push(`evaluation ${r.id} is not in the truth`);
    else if (r.deleted_at !== null) problems.push(`evaluation ${r.id} is a tombstone`);
    else if (new Date(r.changed_at).toISOString() !== t.changedDate || r.c !== t.conversationId.toLowerCase() || r.f !== t.formId.toLowerCase() || (r.score ?? undefined) !== t.totalScore) {
      problems.push(`evaluation ${r.id} differs from the truth`);
    }
    if (problems.length > 10) break;
  }
  if (final && rows.length !== truth.size) problems.push(`${rows.length} evaluations in the table, ${truth.size} in the truth`);
  const twice = await one<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM ${s}.audit GROUP BY evaluation_id, changed_at HAVING count(*) > 1) x`);
  if (twice.n > 0) problems.push(`${twice.n} evaluation row versions written more than once`);
  const orphans = await one<{ n: number }>(`SELECT count(*)::int AS n FROM ${s}.evaluation_question_scores q WHERE NOT EXISTS (SELECT 1 FROM ${s}.evaluations e WHERE e.evaluation_id = q.evaluation_id)`);
  if (orphans.n > 0) problems.push(`${orphans.n} question-score rows without their evaluation`);
  const noScores = await one<{ n: number }>(`SELECT count(*)::int AS n FROM ${s}.evaluations e WHERE e.total_score IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${s}.evaluation_question_scores q WHERE q.evaluation_id = e.evaluation_id)`);
  if (noScores.n > 0) problems.push(`${noScores.n} scored evaluations without question-score rows`);
  const state = await one<{ missing: number; extra: number }>(`SELECT
    (SELECT count(*) FROM ${s}.evaluations e WHERE NOT EXISTS (SELECT 1 FROM ${s}.sync_fingerprints f WHERE f.key = e.evaluation_id::text))::int AS missing,
    (SELECT count(*) FROM ${s}.sync_fingerprints f WHERE NOT EXISTS (SELECT 1 FROM ${s}.evaluations e WHERE e.evaluation_id::text = f.key))::int AS extra`);
  if (state.missing > 0 || state.extra > 0) problems.push(`sync state and table disagree: ${state.missing} rows without a fingerprint, ${state.extra} fingerprints without a row`);
  const dup = await one<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM ${s}.evaluation_question_scores GROUP BY evaluation_id, question_id HAVING count(*) > 1) x`);
  if (dup.n > 0) problems.push(`${dup.n} duplicated question-score rows`);
  const scoreRows = await one<{ n: number }>(`SELECT count(*)::int AS n FROM ${s}.evaluation_question_scores`);
  return { rows: rows.length, scoreRows: scoreRows.n, problems };
}

// The schema, migrated by the SDK, with the bench's audit trigger.
const { createPostgresWarehouse } = await import('../../src/postgres/index');
const w = createPostgresWarehouse({ connectionString: DATABASE_URL, schema });
await w.migrate();
await w.close();
await db.query(`CREATE TABLE ${s}.audit (evaluation_id uuid, changed_at timestamptz, deleted boolean)`);
await db.query(`CREATE FUNCTION ${s}.audit_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO ${s}.audit VALUES (NEW.evaluation_id, NEW.changed_at, NEW.deleted_at IS NOT NULL); RETURN NEW; END $$`);
await db.query(`CREATE TRIGGER audit_t AFTER INSERT OR UPDATE ON ${s}.evaluations FOR EACH ROW EXECUTE FUNCTION ${s}.audit_fn()`);

const points = Array.from({ length: KILLS }, () => Math.floor(rnd() * truth.size * 0.98)).sort((a, b) => a - b);
const kills: Array<{ kill: number; point: string; killed: boolean; ms: number; getsServed: number; rowsAfter: number; scoreRowsAfter: number; problems: string[] }> = [];
const t0 = performance.now();
let allProblems = 0;
try {
  for (let k = 0; k < KILLS; k++) {
    const early = rnd() < 0.2;
    const at = early ? { afterMs: Math.round(300 + rnd() * 2700) } : { gets: Math.max(points[k] as number, handle.stats.count(GET_ROUTE) + 1), delayMs: Math.round(rnd() * 400) };
    const r = await run(at);
    const killed = r.signal === 'SIGKILL';
    if (!killed && r.code !== 0) throw new Error(`run ${k + 1} failed with exit ${r.code}: ${r.stderr.slice(-2000)}`);
    const c = await check(false);
    allProblems += c.problems.length;
    const point = 'afterMs' in at ? `${at.afterMs} ms after start` : `after ${at.gets} GETs served + ${at.delayMs} ms`;
    kills.push({ kill: k + 1, point, killed, ms: r.ms, getsServed: r.getsServed, rowsAfter: c.rows, scoreRowsAfter: c.scoreRows, problems: c.problems });
    console.log(`kill ${k + 1}/${KILLS} (${point}): ${killed ? 'killed' : `finished first (exit ${r.code})`} after ${r.ms} ms; ${c.rows} evaluations, ${c.scoreRows} score rows; ${c.problems.length ? c.problems.join('; ') : 'consistent'}`);
  }
  const last = await run();
  if (last.code !== 0) throw new Error(`the final rerun failed with exit ${last.code}: ${last.stderr.slice(-2000)}`);
  const summary = JSON.parse(last.stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
  const final = await check(true);
  allProblems += final.problems.length;
  const totalGets = handle.stats.count(GET_ROUTE);
  const duplicates = (await one<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM ${s}.audit GROUP BY evaluation_id, changed_at HAVING count(*) > 1) x`)).n;
  const killedRuns = kills.filter((k) => k.killed).length;
  console.log(`final rerun: ${JSON.stringify({ new: summary.new, changed: summary.changed, fetched: summary.fetched })}; ${final.rows} evaluations (truth ${truth.size}), ${final.scoreRows} score rows; ${final.problems.length ? final.problems.join('; ') : 'equal to the truth'}`);
  console.log(`${killedRuns} runs killed; ${totalGets} evaluation GETs in all for ${truth.size} evaluations (${totalGets - truth.size} refetched after kills); ${duplicates} duplicates; ${Math.round((performance.now() - t0) / 1000)} s`);
  const ok = allProblems === 0 && final.rows === truth.size && killedRuns === KILLS;
  const result = {
    benchmark: 'warehouse-crash',
    results: { evaluations: truth.size, kills: KILLS, killedRuns, batchSize: BATCH, totalGets, refetched: totalGets - truth.size, finalRows: final.rows, finalScoreRows: final.scoreRows, duplicates, problems: allProblems, perKill: kills, seconds: Math.round((performance.now() - t0) / 1000) },
    targets: [
      { name: `kill -9 during the sync of ${truth.size.toLocaleString('en-US')} evaluations, each followed by a rerun: runs killed`, target: `${KILLS}`, value: killedRuns, met: killedRuns === KILLS },
      { name: 'tables equal the truth after the last rerun (and consistent after every kill)', target: 'yes', value: ok ? 1 : 0, met: ok },
      { name: 'evaluation row versions written twice', target: '0', value: duplicates, met: duplicates === 0 },
    ],
    reading: `${killedRuns} kill -9 at random points of a ${truth.size.toLocaleString('en-US')}-evaluation sync into PostgreSQL, each followed by a rerun: after every kill the tables held only truth, nothing twice; after the last rerun they equal the truth (${final.rows.toLocaleString('en-US')} evaluations, ${final.scoreRows.toLocaleString('en-US')} question-score rows), ${duplicates} duplicates; ${(totalGets - truth.size).toLocaleString('en-US')} GETs repeated for batches a kill cut before their commit.`,
  };
  if (process.argv.includes('--save')) console.log(`written to ${writeResult(result)}`);
  process.exitCode = ok && duplicates === 0 ? 0 : 1;
} finally {
  await db.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  await db.end();
  await server.close();
}
