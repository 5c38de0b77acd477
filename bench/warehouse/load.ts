/**
 * Load rate into a real PostgreSQL server (issue 20): the warehouse's COPY + guarded upsert loader against a
 * row-by-row INSERT loader, side by side, on the same evaluation documents.
 *
 *   DATABASE_URL=postgres://user@127.0.0.1:5432/db node --import tsx bench/warehouse/load.ts [--rows 50000]
 *     [--slow-rows 5000] [--questions 12] [--batch 5000] [--pglite] [--save]
 *
 * Phases (each on a fresh schema, dropped afterwards):
 *   copy-insert:   `rows` new evaluations through warehouse.apply() in batches of `batch`;
 *   copy-update:   the same evaluations again with a newer change time (every row updated, scores replaced);
 *   row-by-row:    `slow-rows` new evaluations, one INSERT ... ON CONFLICT per evaluation and one INSERT per
 *                  question score, in one transaction per batch (what a hand-written loader does);
 *   pglite (opt.): `rows` new evaluations into the embedded PGlite in memory, for reference.
 * Rates are evaluation rows per second (each evaluation also writes `questions` question-score rows).
 * With --save the result goes to bench/results/warehouse-load.json (the envelope of bench/lib.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { createPostgresWarehouse, type EvaluationChange } from '../../src/postgres/index';
import { writeResult } from '../lib';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROWS = arg('rows', 50_000);
const SLOW_ROWS = arg('slow-rows', 5_000);
const QUESTIONS = arg('questions', 12);
const BATCH = arg('batch', 5_000);
const URL_ = process.env.DATABASE_URL;
if (!URL_) {
  console.error('bench/warehouse/load.ts needs DATABASE_URL (a PostgreSQL server on 127.0.0.1; .ci/run shows how to start one)');
  process.exit(2);
}

const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
const id = (kind: number, n: number) => `${hex(kind, 8)}-0000-4000-8000-${hex(n, 12)}`;
const GROUPS = 3;

/** An evaluation as the Quality API returns it: 3 question groups, QUESTIONS questions, comments on some. */
function evaluationDoc(n: number, changedDate: string) {
  const perGroup = Math.ceil(QUESTIONS / GROUPS);
  const groups = Array.from({ length: GROUPS }, (_, g) => ({
    questionGroupId: id(7, g),
    totalScore: 70 + ((n + g) % 30),
    maxTotalScore: 100,
    markedNA: false,
    questionScores: Array.from({ length: Math.min(perGroup, QUESTIONS - g * perGroup) }, (_, q) => ({
      questionId: id(8, g * perGroup + q),
      answerId: id(9, (n + q) % 4),
      score: (n + q) % 11,
      markedNA: false,
      failedKillQuestion: false,
      ...(q === 0 ? { comments: `Agent ${n % 97} greeted the customer by name.` } : {}),
    })),
  }));
  return {
    id: id(1, n),
    conversation: { id: id(2, n) },
    agent: { id: id(3, n % 250) },
    evaluator: { id: id(4, n % 20) },
    queue: { id: id(5, n % 12) },
    evaluationForm: { id: id(6, 1), contextId: id(11, 1), name: 'Customer service v3' },
    status: 'FINISHED',
    answers: { totalScore: 70 + (n % 30), totalCriticalScore: 100, totalNonCriticalScore: 65 + (n % 35), anyFailedKillQuestions: false, comments: 'Good call.', questionGroupScores: groups },
    mediaType: ['CALL'],
    conversationDate: new Date(Date.UTC(2024, 4, 1) + n * 37_000).toISOString(),
    assignedDate: '2024-05-13T12:00:00.000Z',
    releaseDate: '2024-05-14T09:00:00.000Z',
    changedDate,
    neverRelease: false,
    rescore: false,
  };
}

/** The batches of `count` evaluations, each made only when it is about to be loaded (as a sync hands them over). */
function* batches(count: number, changedDate: string): Generator<EvaluationChange[]> {
  for (let b = 0; b < count; b += BATCH) {
    yield Array.from({ length: Math.min(BATCH, count - b) }, (_, i) => ({ op: 'upsert' as const, row: evaluationDoc(b + i, changedDate) }));
  }
}

const suffix = `${process.pid}_${Date.now().toString(36)}`;
const admin = new pg.Pool({ connectionString: URL_, max: 1 });

/**
 * CPU time (ms) used so far by this process and by the server (the postmaster and its children, read from /proc:
 * the server must run on this machine). The machine is shared, so wall-clock rates understate what an idle machine
 * does; CPU time does not depend on how many other processes compete for the cores.
 */
let postmaster: number | undefined;
async function cpuMs(): Promise<{ node: number; server: number | undefined }> {
  const u = process.cpuUsage();
  const node = (u.user + u.system) / 1000;
  try {
    if (postmaster === undefined) {
      const [{ pid }] = (await admin.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows as [{ pid: number }];
      postmaster = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
    }
    let ticks = 0;
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      } catch {
        continue;
      }
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(d) !== postmaster && Number(f[1]) !== postmaster) continue;
      ticks += Number(f[11]) + Number(f[12]);
    }
    return { node, server: ticks * 10 };
  } catch {
    return { node, server: undefined };
  }
}

interface Measured {
  wallMs: number;
  nodeCpuMs: number;
  serverCpuMs: number | undefined;
}

/** Loads each batch with `load`, timing only the loads (making the documents is the caller's cost, not the loader's). */
async function measure(docs: Iterable<EvaluationChange[]>, load: (batch: EvaluationChange[]) => Promise<unknown>): Promise<Measured> {
  const m: Measured = { wallMs: 0, nodeCpuMs: 0, serverCpuMs: 0 };
  for (const batch of docs) {
    const c0 = await cpuMs();
    const t0 = performance.now();
    await load(batch);
    m.wallMs += performance.now() - t0;
    const c1 = await cpuMs();
    m.nodeCpuMs += c1.node - c0.node;
    m.serverCpuMs = m.serverCpuMs === undefined || c0.server === undefined || c1.server === undefined ? undefined : m.serverCpuMs + c1.server - c0.server;
  }
  return m;
}

async function copyLoader(): Promise<{ insert: Measured; update: Measured }> {
  const w = createPostgresWarehouse({ connectionString: URL_, schema: `bench_copy_${suffix}` });
  try {
    await w.migrate();
    const insert = await measure(batches(ROWS, '2024-05-20T00:00:00.000Z'), (b) => w.apply(b));
    const update = await measure(batches(ROWS, '2024-05-21T00:00:00.000Z'), (b) => w.apply(b));
    const [{ n }] = (await w.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${w.schema}".evaluations`)) as [{ n: number }];
    if (n !== ROWS) throw new Error(`copy loader wrote ${n} rows, expected ${ROWS}`);
    return { insert, update };
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS "bench_copy_${suffix}" CASCADE`);
    await w.close();
  }
}

/** The baseline: same tables (created by the warehouse's migration), one statement per row. */
async function rowByRowLoader(): Promise<Measured> {
  const schema = `bench_rows_${suffix}`;
  const w = createPostgresWarehouse({ connectionString: URL_, schema });
  await w.migrate();
  await w.close();
  const client = await admin.connect();
  try {
    return await measure(batches(SLOW_ROWS, '2024-05-20T00:00:00.000Z'), async (batch) => {
      await client.query('BEGIN');
      for (const change of batch) {
        if (change.op !== 'upsert') continue;
        const e = change.row as ReturnType<typeof evaluationDoc>;
        await client.query(
          `INSERT INTO "${schema}".evaluations (evaluation_id, conversation_id, agent_id, evaluator_id, queue_id, form_id, form_context_id, form_name,
             status, total_score, total_critical_score, total_non_critical_score, any_failed_kill_questions, media_type, conversation_date,
             assigned_date, release_date, changed_date, never_release, rescore, answers, changed_at)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$18)
           ON CONFLICT (evaluation_id) DO UPDATE SET total_score = excluded.total_score, answers = excluded.answers, changed_at = excluded.changed_at
           WHERE excluded.changed_at >= "${schema}".evaluations.changed_at`,
          [e.id, e.conversation.id, e.agent.id, e.evaluator.id, e.queue.id, e.evaluationForm.id, e.evaluationForm.contextId, e.evaluationForm.name,
            e.status, e.answers.totalScore, e.answers.totalCriticalScore, e.answers.totalNonCriticalScore, false, 'CALL', e.conversationDate,
            e.assignedDate, e.releaseDate, e.changedDate, false, false, JSON.stringify(e.answers)],
        );
        await client.query(`DELETE FROM "${schema}".evaluation_question_scores WHERE evaluation_id = $1`, [e.id]);
        for (const g of e.answers.questionGroupScores) {
          for (const q of g.questionScores) {
            await client.query(
              `INSERT INTO "${schema}".evaluation_question_scores (evaluation_id, question_group_id, question_id, answer_id, score, marked_na, failed_kill_question, comments)
               VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
              [e.id, g.questionGroupId, q.questionId, q.answerId, q.score, q.markedNA, q.failedKillQuestion, q.comments ?? null],
            );
          }
        }
      }
      await client.query('COMMIT');
    });
  } finally {
    client.release();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
}

async function pgliteLoader(): Promise<Measured> {
  const w = createPostgresWarehouse({ pglite: 'memory://' });
  try {
    await w.migrate();
    return await measure(batches(ROWS, '2024-05-20T00:00:00.000Z'), (b) => w.apply(b));
  } finally {
    await w.close();
  }
}

const round = (x: number) => Math.round(x);
/** Rows per second by the wall clock, and by CPU time: node and server CPU added (as if one core did both). */
function rates(rows: number, m: Measured) {
  const wall = rows / (m.wallMs / 1000);
  const cpu = m.serverCpuMs === undefined ? undefined : rows / ((m.nodeCpuMs + m.serverCpuMs) / 1000);
  return { wallRowsPerSec: round(wall), cpuRowsPerSec: cpu === undefined ? undefined : round(cpu), wallMs: round(m.wallMs), nodeCpuMs: round(m.nodeCpuMs), serverCpuMs: m.serverCpuMs === undefined ? undefined : round(m.serverCpuMs) };
}
const line = (label: string, rows: number, r: ReturnType<typeof rates>) =>
  console.log(`${label}: ${rows} evaluations, ${r.wallMs} ms wall = ${r.wallRowsPerSec} rows/s; CPU node ${r.nodeCpuMs} ms + server ${r.serverCpuMs ?? '?'} ms = ${r.cpuRowsPerSec ?? '?'} rows/s of CPU`);

const load = (await import('node:os')).loadavg()[0] ?? 0;
const copy = await copyLoader();
const copyInsert = rates(ROWS, copy.insert);
const copyUpdate = rates(ROWS, copy.update);
line('copy+upsert, new rows', ROWS, copyInsert);
line('copy+upsert, every row updated', ROWS, copyUpdate);
const slow = rates(SLOW_ROWS, await rowByRowLoader());
line('row-by-row INSERT, new rows', SLOW_ROWS, slow);
const lite = process.argv.includes('--pglite') ? rates(ROWS, await pgliteLoader()) : undefined;
if (lite) line('PGlite (memory://), copy+upsert, new rows', ROWS, lite);
await admin.end();
const wallRatio = copyInsert.wallRowsPerSec / slow.wallRowsPerSec;
const cpuRatio = copyInsert.cpuRowsPerSec && slow.cpuRowsPerSec ? copyInsert.cpuRowsPerSec / slow.cpuRowsPerSec : undefined;
console.log(`ratio copy+upsert / row-by-row (new rows): ${wallRatio.toFixed(1)}x by the wall clock, ${cpuRatio?.toFixed(1) ?? '?'}x by CPU time; 1-minute load average at the start: ${load.toFixed(1)}`);
const result = {
  benchmark: 'warehouse-load',
  results: {
    rows: ROWS,
    rowByRowRows: SLOW_ROWS,
    questionsPerEvaluation: QUESTIONS,
    batch: BATCH,
    loadAverageAtStart: Math.round(load * 10) / 10,
    copyInsert,
    copyUpdate,
    rowByRow: slow,
    ...(lite ? { pglite: lite } : {}),
  },
  targets: [
    { name: 'copy+upsert, new evaluation rows/s into PostgreSQL (wall clock)', target: '>= 50,000 rows/s', value: copyInsert.wallRowsPerSec, met: copyInsert.wallRowsPerSec >= 50_000 },
    { name: 'copy+upsert / row-by-row INSERT (wall clock)', target: '>= 10x', value: Math.round(wallRatio * 10) / 10, met: wallRatio >= 10 },
  ],
  reading: `COPY + guarded upsert loads ${copyInsert.wallRowsPerSec} evaluation rows/s (${QUESTIONS} question-score rows each, load average ${load.toFixed(1)}), ${wallRatio.toFixed(1)}x a row-by-row INSERT loader.`,
};
if (process.argv.includes('--save')) console.log(`written to ${writeResult(result)}`);
else console.log(JSON.stringify(result, null, 2));
