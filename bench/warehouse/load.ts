/**
 * Load rate into a real PostgreSQL server (issue 20): the warehouse's COPY + guarded upsert loader against a
 * row-by-row INSERT loader and against bare COPY, on the same evaluation documents, interleaved and repeated.
 *
 *   DATABASE_URL=postgres://user@127.0.0.1:5432/db node --import tsx bench/warehouse/load.ts [--rows 50000]
 *     [--slow-rows 5000] [--questions 12] [--batch 5000] [--rounds 3] [--save]
 *
 * Each round runs, each on a fresh schema (dropped afterwards):
 *   copy-insert:    `rows` new evaluations through warehouse.apply(), one batch at a time (await each);
 *   copy-update:    the same evaluations again with a newer change time (every row updated, scores replaced);
 *   copy-pipelined: `rows` new evaluations, the next batch handed to apply() while the previous one is written:
 *                   its encoding overlaps the server's work, and it stages on a second connection while the previous
 *                   one merges (src/postgres/warehouse.ts), so the server uses both cores;
 *   row-by-row:     `slow-rows` new evaluations, one INSERT ... ON CONFLICT per evaluation and one INSERT per
 *                   question score, one transaction per batch (what a hand-written loader does);
 *   bare COPY:      the same rows COPYed straight into the tables, in the same binary format, on one connection (no
 *                   staging, no guard, no state, nothing checked; encoded before the clock starts): what PostgreSQL
 *                   itself takes for this data on this machine, the floor of any one-connection loader.
 * Documents arrive as a sync receives them: each batch is the JSON text of its documents (made before the clock
 * starts, the same for every loader), parsed when the batch is handed over, so only one or two batches of parsed
 * documents are alive at a time, as in a sync (it holds one batch; holding all 50,000 parsed documents cost ~16 µs of
 * extra garbage collection per evaluation, and documents built with template strings instead of JSON.parse held
 * their ids as unflattened cons strings, ~23 µs more: bench artifacts, measured on prepareEvaluations alone). The
 * parse is taken out of both the wall clock and the Node CPU of every loader (it is the sync's receiving, not the
 * load): exact when nothing is in flight, and for copy-pipelined the server may go on with a batch meanwhile.
 * Rates are evaluation rows per second by the wall clock; each evaluation also writes `questions` question-score
 * rows and a ~2.6 KB answers jsonb.
 * CPU time (this process + the server's processes, from /proc) is reported beside it: the machine is shared.
 * With --save the result goes to bench/results/warehouse-load.json (the envelope of bench/lib.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import pg from 'pg';
import { createPostgresWarehouse, type EvaluationChange } from '../../src/postgres/index';
import { Checker } from '../../src/postgres/checker';
import { binaryHeader, binaryTrailer, CopyBuffer } from '../../src/postgres/copy-format';
import { EVALUATION_COLUMNS, evaluationRow, QUESTION_SCORE_COLUMNS } from '../../src/postgres/evaluation-rows';
import { median, writeResult } from '../lib';
import { evaluationDoc } from './docs';
import { databaseUrl, numberArg } from './setup';

const ROWS = numberArg('rows', 50_000);
const SLOW_ROWS = numberArg('slow-rows', 5_000);
const QUESTIONS = numberArg('questions', 12);
const BATCH = numberArg('batch', 5_000);
const ROUNDS = numberArg('rounds', 3);
const URL_ = databaseUrl('bench/warehouse/load.ts');

type Doc = ReturnType<typeof evaluationDoc>;
/** Each batch's documents as JSON text, as the platform's responses carry them. */
const texts: string[] = [];
for (let b = 0; b < ROWS; b += BATCH) {
  texts.push(JSON.stringify(Array.from({ length: Math.min(BATCH, ROWS - b) }, (_, i) => evaluationDoc(b + i, QUESTIONS, '2024-05-20T00:00:00.000Z'))));
}
/** Time spent parsing documents since the last reset (taken out of the figures, see the header). */
const receiving = { wallMs: 0, cpuMs: 0 };
/** A batch as the loader gets it: its documents parsed now, as changes (`changedAt` set on every one, if given). */
function receive(batch: number, count = Infinity, changedAt?: string): EvaluationChange[] {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const docs = (JSON.parse(texts[batch] as string) as Doc[]).slice(0, count);
  const out = docs.map((row) => (changedAt ? { op: 'upsert' as const, row, changedAt } : { op: 'upsert' as const, row }));
  const c = process.cpuUsage(c0);
  receiving.cpuMs += (c.user + c.system) / 1000;
  receiving.wallMs += performance.now() - t0;
  return out;
}
const batchCount = (rows: number) => Math.ceil(rows / BATCH);
const UPDATED_AT = '2024-05-21T00:00:00.000Z';

const admin = new pg.Pool({ connectionString: URL_, max: 2 });
let schemaCounter = 0;
const newSchema = (kind: string) => `bench_${kind}_${process.pid}_${++schemaCounter}`;

/**
 * CPU time (ms) used so far by this process and by the server (the postmaster and its children, read from /proc:
 * the server must run on this machine). The postmaster is read last: its cutime/cstime hold the CPU of its children
 * that have exited (a backend whose pool closed it, an autovacuum worker), so a child exiting while the children are
 * read is counted there instead of lost (read first, the sum could shrink: negative rates in older results).
 */
let postmaster: number | undefined;
const statFields = (pid: number | string): string[] | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
};
async function cpuMs(): Promise<{ node: number; server: number | undefined }> {
  const u = process.cpuUsage();
  const node = (u.user + u.system) / 1000;
  if (postmaster === undefined) {
    const [{ pid }] = (await admin.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows as [{ pid: number }];
    postmaster = Number(statFields(pid)?.[1]);
  }
  let ticks = 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || Number(d) === postmaster) continue;
    const f = statFields(d);
    if (f !== undefined && Number(f[1]) === postmaster) ticks += Number(f[11]) + Number(f[12]);
  }
  const p = statFields(postmaster);
  if (p === undefined) return { node, server: undefined };
  ticks += Number(p[11]) + Number(p[12]) + Number(p[13]) + Number(p[14]);
  return { node, server: ticks * 10 };
}

interface Rate {
  rowsPerSec: number;
  wallMs: number;
  /** Rows per second of CPU time (this process + the server): what the loader costs, whatever else runs. */
  cpuRowsPerSec: number | undefined;
  /** CPU per row, this process and the server's processes. */
  nodeUsPerRow: number;
  serverUsPerRow: number | undefined;
}

async function timed(rows: number, fn: () => Promise<void>): Promise<Rate> {
  const c0 = await cpuMs();
  receiving.wallMs = 0;
  receiving.cpuMs = 0;
  const t0 = performance.now();
  await fn();
  const wallMs = performance.now() - t0 - receiving.wallMs;
  const c1 = await cpuMs();
  c1.node -= receiving.cpuMs;
  const server = c0.server === undefined || c1.server === undefined ? undefined : c1.server - c0.server;
  const cpu = server === undefined ? undefined : c1.node - c0.node + server;
  return {
    rowsPerSec: Math.round(rows / (wallMs / 1000)),
    wallMs: Math.round(wallMs),
    cpuRowsPerSec: cpu === undefined ? undefined : Math.round(rows / (cpu / 1000)),
    nodeUsPerRow: Math.round(((c1.node - c0.node) * 1000) / rows),
    serverUsPerRow: server === undefined ? undefined : Math.round((server * 1000) / rows),
  };
}

async function migrated(kind: string): Promise<string> {
  const schema = newSchema(kind);
  const w = createPostgresWarehouse({ connectionString: URL_, schema });
  await w.migrate();
  await w.close();
  return schema;
}

async function countRows(schema: string, expected: number): Promise<void> {
  const [{ n, q }] = (await admin.query(`SELECT (SELECT count(*) FROM "${schema}".evaluations)::int AS n, (SELECT count(*) FROM "${schema}".evaluation_question_scores)::int AS q`)).rows as [{ n: number; q: number }];
  if (n !== expected || q !== expected * QUESTIONS) throw new Error(`${schema}: ${n} evaluations and ${q} score rows, expected ${expected} and ${expected * QUESTIONS}`);
}

async function copyLoader(): Promise<{ insert: Rate; update: Rate; pipelined: Rate }> {
  const schema = await migrated('copy');
  const w = createPostgresWarehouse({ connectionString: URL_, schema });
  const piped = await migrated('piped');
  const wp = createPostgresWarehouse({ connectionString: URL_, schema: piped });
  try {
    await w.migrate();
    await wp.migrate();
    const insert = await timed(ROWS, async () => {
      for (let b = 0; b < batchCount(ROWS); b++) await w.apply(receive(b));
    });
    await countRows(schema, ROWS);
    const update = await timed(ROWS, async () => {
      for (let b = 0; b < batchCount(ROWS); b++) await w.apply(receive(b, Infinity, UPDATED_AT));
    });
    // As a sync into the warehouse does (src/sync/run.ts): two batches in flight, each after the one before.
    const pipelined = await timed(ROWS, async () => {
      let previous: Promise<unknown> | undefined;
      for (let b = 0; b < batchCount(ROWS); b++) {
        const current = wp.apply(receive(b), previous ? { after: previous } : {});
        await previous;
        previous = current;
      }
      await previous;
    });
    await countRows(piped, ROWS);
    return { insert, update, pipelined };
  } finally {
    await w.close();
    await wp.close();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE; DROP SCHEMA IF EXISTS "${piped}" CASCADE`);
  }
}

/**
 * A loader on one connection of its own and a fresh schema migrated by the warehouse (the same tables): timed, its
 * rows counted, the schema dropped.
 */
async function onOwnConnection(kind: string, rows: number, load: (schema: string, client: pg.PoolClient) => Promise<void>): Promise<Rate> {
  const schema = await migrated(kind);
  const client = await admin.connect();
  try {
    const r = await timed(rows, () => load(schema, client));
    await countRows(schema, rows);
    return r;
  } finally {
    client.release();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
}

/** The baseline: one statement per row, one transaction per batch. */
const rowByRowLoader = (): Promise<Rate> =>
  onOwnConnection('rows', SLOW_ROWS, async (schema, client) => {
    for (let b = 0; b < batchCount(SLOW_ROWS); b++) {
      const batch = receive(b, SLOW_ROWS - b * BATCH);
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
  });

/**
 * The floor: the same rows COPYed straight into the tables by the same encoders, one transaction per batch, with no
 * staging table, no guard, no question-score replacement, no state and no checks a loader needs. Encoding happens
 * before the clock starts.
 */
async function bareCopy(): Promise<Rate> {
  const encoded = texts.map((_, b) => {
    const batch = receive(b);
    const rows = new CopyBuffer();
    const scores = new CopyBuffer();
    binaryHeader(rows);
    binaryHeader(scores);
    batch.forEach((ch, i) => {
      if (ch.op === 'upsert') evaluationRow(ch.row, undefined, new Checker(), `changes[${i}].row`, rows, scores);
    });
    binaryTrailer(rows);
    binaryTrailer(scores);
    return { rows: rows.finish(), scores: scores.finish() };
  });
  const { default: copyStreams } = await import('pg-copy-streams');
  const { pipeline } = await import('node:stream/promises');
  const { Readable } = await import('node:stream');
  return onOwnConnection('bare', ROWS, async (schema, client) => {
    for (const b of encoded) {
      await client.query('BEGIN');
      await pipeline(Readable.from(b.rows), client.query(copyStreams.from(`COPY "${schema}".evaluations (${EVALUATION_COLUMNS.join(', ')}) FROM STDIN (FORMAT binary)`)));
      await pipeline(Readable.from(b.scores), client.query(copyStreams.from(`COPY "${schema}".evaluation_question_scores (${QUESTION_SCORE_COLUMNS.join(', ')}) FROM STDIN (FORMAT binary)`)));
      await client.query('COMMIT');
    }
  });
}

const loadAtStart = loadavg()[0] ?? 0;
const rounds: Array<{ round: number; loadAverage: number; copyInsert: Rate; copyUpdate: Rate; copyPipelined: Rate; rowByRow: Rate; bareCopy: Rate; ratio: number; ratioPipelined: number; ratioToBare: number }> = [];
for (let round = 1; round <= ROUNDS; round++) {
  const la = Math.round((loadavg()[0] ?? 0) * 10) / 10;
  // Interleaved: each round runs every loader once, in an order that rotates, so a slow spell of the machine hits
  // them alike.
  const order = ['copy', 'rows', 'bare'];
  for (let k = 1; k < round; k++) order.push(order.shift() as string);
  let copy: Awaited<ReturnType<typeof copyLoader>> | undefined;
  let slow: Rate | undefined;
  let bare: Rate | undefined;
  for (const o of order) {
    if (o === 'copy') copy = await copyLoader();
    else if (o === 'rows') slow = await rowByRowLoader();
    else bare = await bareCopy();
  }
  const r = {
    round,
    loadAverage: la,
    copyInsert: copy!.insert,
    copyUpdate: copy!.update,
    copyPipelined: copy!.pipelined,
    rowByRow: slow!,
    bareCopy: bare!,
    ratio: Math.round((copy!.insert.rowsPerSec / slow!.rowsPerSec) * 10) / 10,
    ratioPipelined: Math.round((copy!.pipelined.rowsPerSec / slow!.rowsPerSec) * 10) / 10,
    ratioToBare: Math.round((copy!.insert.rowsPerSec / bare!.rowsPerSec) * 100) / 100,
  };
  rounds.push(r);
  console.log(
    `round ${round} (load ${la}): copy+upsert ${r.copyInsert.rowsPerSec}/s (update ${r.copyUpdate.rowsPerSec}/s, pipelined ${r.copyPipelined.rowsPerSec}/s); ` +
      `row-by-row ${r.rowByRow.rowsPerSec}/s; bare COPY ${r.bareCopy.rowsPerSec}/s; ratio ${r.ratio}x (pipelined ${r.ratioPipelined}x); of bare COPY ${r.ratioToBare}; ` +
      `CPU rows/s: copy ${r.copyInsert.cpuRowsPerSec} (node ${r.copyInsert.nodeUsPerRow} + server ${r.copyInsert.serverUsPerRow} us/row), pipelined ${r.copyPipelined.cpuRowsPerSec}, bare ${r.bareCopy.cpuRowsPerSec} (server ${r.bareCopy.serverUsPerRow} us/row)`,
  );
}
await admin.end();
const med = (f: (r: (typeof rounds)[number]) => number | undefined) => Math.round(median(rounds.map(f).filter((x): x is number => x !== undefined)));
const summary = {
  copyInsert: med((r) => r.copyInsert.rowsPerSec),
  copyUpdate: med((r) => r.copyUpdate.rowsPerSec),
  copyPipelined: med((r) => r.copyPipelined.rowsPerSec),
  rowByRow: med((r) => r.rowByRow.rowsPerSec),
  bareCopy: med((r) => r.bareCopy.rowsPerSec),
  ratio: Math.round(median(rounds.map((r) => r.ratio)) * 10) / 10,
  ratioPipelined: Math.round(median(rounds.map((r) => r.ratioPipelined)) * 10) / 10,
  ratioToBare: Math.round(median(rounds.map((r) => r.ratioToBare)) * 100) / 100,
  copyInsertCpu: med((r) => r.copyInsert.cpuRowsPerSec),
  rowByRowCpu: med((r) => r.rowByRow.cpuRowsPerSec),
  bareCopyCpu: med((r) => r.bareCopy.cpuRowsPerSec),
  copyPipelinedCpu: med((r) => r.copyPipelined.cpuRowsPerSec),
  copyInsertNodeUs: med((r) => r.copyInsert.nodeUsPerRow),
  copyInsertServerUs: med((r) => r.copyInsert.serverUsPerRow),
  bareCopyServerUs: med((r) => r.bareCopy.serverUsPerRow),
  ratioToBareCpu: Math.round(median(rounds.map((r) => (r.copyInsert.cpuRowsPerSec ?? 0) / (r.bareCopy.cpuRowsPerSec ?? 1))) * 100) / 100,
};
console.log(`medians of ${ROUNDS} rounds: ${JSON.stringify(summary)}`);
const result = {
  benchmark: 'warehouse-load',
  results: { rows: ROWS, rowByRowRows: SLOW_ROWS, questionsPerEvaluation: QUESTIONS, batch: BATCH, rounds: ROUNDS, loadAverageAtStart: Math.round(loadAtStart * 10) / 10, medians: summary, perRound: rounds },
  targets: [
    { name: 'copy+upsert, new evaluation rows/s into PostgreSQL (wall clock, median)', target: '>= 50,000 rows/s', value: summary.copyInsert, met: summary.copyInsert >= 50_000 },
    { name: 'copy+upsert / row-by-row INSERT (wall clock, median of rounds)', target: '>= 10x', value: summary.ratio, met: summary.ratio >= 10 },
    {
      name: 'copy+upsert with the next batch handed over early (what a sync into the warehouse does) / row-by-row INSERT (wall clock, median of rounds)',
      target: '>= 10x',
      value: summary.ratioPipelined,
      met: summary.ratioPipelined >= 10,
    },
  ],
  reading:
    `COPY + guarded upsert loads ${summary.copyInsert.toLocaleString('en-US')} new evaluation rows/s (${QUESTIONS} question-score rows and a ~2.6 KB answers jsonb each; ` +
    `${summary.copyPipelined.toLocaleString('en-US')}/s with the next batch handed over early, ${summary.copyUpdate.toLocaleString('en-US')}/s when every row is updated), ` +
    `${summary.ratio}x a row-by-row INSERT loader (${summary.rowByRow.toLocaleString('en-US')}/s; ${summary.ratioPipelined}x handed over early, as a sync does); bare COPY of the same rows, the floor, ` +
    `${summary.bareCopy.toLocaleString('en-US')}/s (medians of ${ROUNDS} interleaved rounds, 1-minute load average ${loadAtStart.toFixed(1)} at the start on a shared 2-core machine). ` +
    `By CPU time (Node + server): ${summary.copyInsertCpu?.toLocaleString('en-US')} rows/s (${summary.copyInsertNodeUs} µs Node + ${summary.copyInsertServerUs} µs server per evaluation), ` +
    `bare COPY ${summary.bareCopyCpu?.toLocaleString('en-US')} (server ${summary.bareCopyServerUs} µs), ${summary.ratioToBareCpu} of bare COPY; row-by-row ${summary.rowByRowCpu?.toLocaleString('en-US')}.`,
};
if (process.argv.includes('--save')) console.log(`written to ${writeResult(result)}`);
else console.log(JSON.stringify(result.targets, null, 2));
