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

function batches(count: number, changedDate: string): EvaluationChange[][] {
  const out: EvaluationChange[][] = [];
  for (let b = 0; b < count; b += BATCH) {
    out.push(Array.from({ length: Math.min(BATCH, count - b) }, (_, i) => ({ op: 'upsert' as const, row: evaluationDoc(b + i, changedDate) })));
  }
  return out;
}

const suffix = `${process.pid}_${Date.now().toString(36)}`;
const admin = new pg.Pool({ connectionString: URL_, max: 1 });

async function copyLoader(): Promise<{ insertRate: number; updateRate: number; insertMs: number; updateMs: number }> {
  const w = createPostgresWarehouse({ connectionString: URL_, schema: `bench_copy_${suffix}` });
  try {
    await w.migrate();
    const first = batches(ROWS, '2024-05-20T00:00:00.000Z');
    let t = performance.now();
    for (const b of first) await w.apply(b);
    const insertMs = performance.now() - t;
    const second = batches(ROWS, '2024-05-21T00:00:00.000Z');
    t = performance.now();
    for (const b of second) await w.apply(b);
    const updateMs = performance.now() - t;
    const [{ n }] = (await w.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${w.schema}".evaluations`)) as [{ n: number }];
    if (n !== ROWS) throw new Error(`copy loader wrote ${n} rows, expected ${ROWS}`);
    return { insertRate: ROWS / (insertMs / 1000), updateRate: ROWS / (updateMs / 1000), insertMs, updateMs };
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS "bench_copy_${suffix}" CASCADE`);
    await w.close();
  }
}

/** The baseline: same tables (created by the warehouse's migration), one statement per row. */
async function rowByRowLoader(): Promise<{ rate: number; ms: number }> {
  const schema = `bench_rows_${suffix}`;
  const w = createPostgresWarehouse({ connectionString: URL_, schema });
  await w.migrate();
  await w.close();
  const client = await admin.connect();
  try {
    const docs = batches(SLOW_ROWS, '2024-05-20T00:00:00.000Z');
    const t = performance.now();
    for (const batch of docs) {
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
    }
    const ms = performance.now() - t;
    return { rate: SLOW_ROWS / (ms / 1000), ms };
  } finally {
    client.release();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
}

async function pgliteLoader(): Promise<{ rate: number; ms: number }> {
  const w = createPostgresWarehouse({ pglite: 'memory://' });
  try {
    await w.migrate();
    const docs = batches(ROWS, '2024-05-20T00:00:00.000Z');
    const t = performance.now();
    for (const b of docs) await w.apply(b);
    const ms = performance.now() - t;
    return { rate: ROWS / (ms / 1000), ms };
  } finally {
    await w.close();
  }
}

const round = (x: number) => Math.round(x);
const copy = await copyLoader();
console.log(`copy+upsert: ${ROWS} new evaluations in ${round(copy.insertMs)} ms = ${round(copy.insertRate)} rows/s; all updated again in ${round(copy.updateMs)} ms = ${round(copy.updateRate)} rows/s`);
const slow = await rowByRowLoader();
console.log(`row-by-row INSERT: ${SLOW_ROWS} new evaluations in ${round(slow.ms)} ms = ${round(slow.rate)} rows/s`);
const lite = process.argv.includes('--pglite') ? await pgliteLoader() : undefined;
if (lite) console.log(`PGlite (memory://), copy+upsert: ${ROWS} new evaluations in ${round(lite.ms)} ms = ${round(lite.rate)} rows/s`);
await admin.end();
const ratio = copy.insertRate / slow.rate;
console.log(`ratio copy+upsert / row-by-row (new rows): ${ratio.toFixed(1)}x`);
const result = {
  benchmark: 'warehouse-load',
  results: {
    rows: ROWS,
    rowByRowRows: SLOW_ROWS,
    questionsPerEvaluation: QUESTIONS,
    batch: BATCH,
    copyInsertRowsPerSec: round(copy.insertRate),
    copyUpdateRowsPerSec: round(copy.updateRate),
    rowByRowRowsPerSec: round(slow.rate),
    ...(lite ? { pgliteRowsPerSec: round(lite.rate) } : {}),
  },
  targets: [
    { name: 'copy+upsert, new evaluation rows/s into PostgreSQL', target: '>= 50,000 rows/s', value: round(copy.insertRate), met: copy.insertRate >= 50_000 },
    { name: 'copy+upsert / row-by-row INSERT', target: '>= 10x', value: Math.round(ratio * 10) / 10, met: ratio >= 10 },
  ],
  reading: `COPY + guarded upsert loads ${round(copy.insertRate)} evaluation rows/s (${QUESTIONS} question-score rows each), ${ratio.toFixed(1)}x a row-by-row INSERT loader.`,
};
if (process.argv.includes('--save')) console.log(`written to ${writeResult(result)}`);
else console.log(JSON.stringify(result, null, 2));
